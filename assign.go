package docket

import "strings"

// Member is a user of a template's assignment group, as the assignment policy sees them.
type Member struct {
	UserID    string
	Email     string
	Role      string
	Available bool
	// Deactivated members get no cases, whatever their availability.
	Deactivated bool
	// OpenCases counts the member's unresolved cases (used by fewest-cases).
	OpenCases int
}

// Assigner picks assignees for a template's new cases, one case after another. It is
// created per batch of new cases with the group's state read under the template's lock,
// so that processes creating cases at once still rotate fairly.
type Assigner struct {
	// Template is the template whose cases are assigned: a member whose role may not see
	// its cases gets none of them.
	Template *CaseTemplate
	Policy   AssignmentPolicy
	Members  map[string]*Member // by user id
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
			if a.eligible(m) && (least < 0 || m.OpenCases < least) {
				least = m.OpenCases
			}
		}
		// Ties go to the next member in rotation order, so equal members take turns.
		return a.rotate(func(m *Member) bool { return m.OpenCases == least })
	case AssignInquiryCreator:
		for _, email := range inquiryCreators {
			for _, id := range a.Policy.UserIDs {
				if m := a.Members[id]; a.eligible(m) && m.Email == email {
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
		if a.eligible(m) && ok(m) {
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

// eligible reports whether m may get a case now: available, not deactivated, and allowed
// to see the template's cases (a group may hold people whose role the template has since
// hidden its cases from).
func (a *Assigner) eligible(m *Member) bool {
	if m == nil || !m.Available || m.Deactivated {
		return false
	}
	return a.Template == nil || UserPrincipal(&User{ID: m.UserID, Role: m.Role}).CanSeeTemplate(a.Template)
}

// CheckAssignee refuses to give a case of template t to u when u may not see the
// template's cases: they would hold a case they cannot open. field names the input that
// chose u, for the error's pointer.
func CheckAssignee(u *User, t *CaseTemplate, field string) error {
	if UserPrincipal(u).CanSeeTemplate(t) {
		return nil
	}
	return Invalid(field, "%s may not be given %s cases: the template shows them only to %s, and %s is a %s",
		u.Email, t.Name, strings.Join(t.VisibleToRoles, ", "), u.Email, u.Role)
}
