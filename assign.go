package docket

// Member is a user of a template's assignment group, as the assignment policy sees them.
type Member struct {
	UserID    string
	Email     string
	Available bool
	// OpenCases counts the member's unresolved cases (used by fewest-cases).
	OpenCases int
}

// Assigner picks assignees for a template's new cases, one case after another. It is
// created per batch of new cases with the group's state read under the template's lock,
// so that processes creating cases at once still rotate fairly.
type Assigner struct {
	Policy  AssignmentPolicy
	Members map[string]*Member // by user id
	// Last is the member who got the previous case: rotation continues after them.
	Last string
}

// Pick returns the user who gets the next case, given the emails of the users who created
// the case's inquiries, or false when the policy assigns nobody.
func (a *Assigner) Pick(inquiryCreators []string) (string, bool) {
	switch a.Policy.Type {
	case AssignRoundRobin:
		return a.rotate(func(m *Member) bool { return true })
	case AssignFewestCases:
		least := -1
		for _, m := range a.Members {
			if m.Available && (least < 0 || m.OpenCases < least) {
				least = m.OpenCases
			}
		}
		// Ties go to the next member in rotation order, so equal members take turns.
		return a.rotate(func(m *Member) bool { return m.OpenCases == least })
	case AssignInquiryCreator:
		for _, email := range inquiryCreators {
			for _, id := range a.Policy.UserIDs {
				if m := a.Members[id]; m != nil && m.Available && m.Email == email {
					return a.take(m), true
				}
			}
		}
	}
	return "", false
}

// rotate returns the first available member after Last, in the group's order, that ok accepts.
func (a *Assigner) rotate(ok func(*Member) bool) (string, bool) {
	ids := a.Policy.UserIDs
	start := 0
	for i, id := range ids {
		if id == a.Last {
			start = i + 1
		}
	}
	for i := range ids {
		m := a.Members[ids[(start+i)%len(ids)]]
		if m != nil && m.Available && ok(m) {
			return a.take(m), true
		}
	}
	return "", false
}

func (a *Assigner) take(m *Member) string {
	m.OpenCases++
	a.Last = m.UserID
	return m.UserID
}
