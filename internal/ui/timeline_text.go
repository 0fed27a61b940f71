package ui

import (
	"cmp"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/docket-hq/docket"
)

// describeCase says what a case event changed, comparing its snapshot c with the one
// before, prev (nil if unknown). Redacted snapshots keep their status, assignee and
// objects but no fields or tags, so those changes are then told without detail.
func describeCase(e *docket.Event, c, prev *docket.Case, t *docket.CaseTemplate, names docket.ActorNames) (text, detail string) {
	if c == nil {
		return humanize(e.Name), ""
	}
	switch e.Name {
	case docket.EventCaseCreated:
		return "Case created", "Status " + c.Status
	case docket.EventCaseAssigned:
		return describeAssign(c, prev, names), ""
	case docket.EventCaseStatusUpdated:
		if prev != nil && prev.Proposal != nil && prev.Proposal.Status == c.Status {
			return "Confirmed " + c.Status + ": status changed from " + prev.Status + " to " + c.Status, ""
		}
		if prev != nil && prev.Status != c.Status {
			return "Status changed from " + prev.Status + " to " + c.Status, ""
		}
		return "Status changed to " + c.Status, ""
	case docket.EventCaseResolved:
		return "Resolved as " + deref(c.Resolution), ""
	case docket.EventCaseReopened:
		return "Reopened", ""
	case docket.EventCaseResolutionProposed, docket.EventCaseResolutionRejected:
		return describeProposal(e, c, prev), ""
	case docket.EventCaseUpdatedFields:
		return "Fields changed", changedFields(c, prev, t)
	case docket.EventCaseUpdatedTags:
		return "Tags changed", listChange(c.Tags, prevList(prev, func(p *docket.Case) []string { return p.Tags }))
	case docket.EventCaseUpdatedObjects:
		return "Objects changed", listChange(c.ObjectIDs, prevList(prev, func(p *docket.Case) []string { return p.ObjectIDs }))
	case docket.EventCaseQueueUpdated:
		if c.QueueID == nil {
			return "Taken out of its queue", ""
		}
		return "Moved to a queue", ""
	case docket.EventCaseSLAUpdated:
		if c.SLAExpiresAt == nil {
			return "SLA deadline removed", ""
		}
		return "SLA deadline set", "Due " + c.SLAExpiresAt.UTC().Format("2 Jan 2006 15:04 UTC")
	case docket.EventCaseSLAExpired:
		return "SLA breached", ""
	case docket.EventCaseRedacted:
		return "Case redacted", ""
	}
	return humanize(e.Name), ""
}

func describeAssign(c, prev *docket.Case, names docket.ActorNames) string {
	name := func(id *string) string {
		return cmp.Or(names.Name(docket.Actor{Type: docket.ActorUser, ID: *id}), "a former user")
	}
	var was *string
	if prev != nil {
		was = prev.AssigneeID
	}
	switch {
	case c.AssigneeID == nil && was != nil:
		return "Unassigned from " + name(was)
	case c.AssigneeID == nil:
		return "Unassigned"
	case was != nil && *was != *c.AssigneeID:
		return "Reassigned from " + name(was) + " to " + name(c.AssigneeID)
	}
	return "Assigned to " + name(c.AssigneeID)
}

// changedFields names the fields whose values differ between prev and c, by label.
func changedFields(c, prev *docket.Case, t *docket.CaseTemplate) string {
	if prev == nil {
		return ""
	}
	var out []string
	keys := slices.Sorted(maps.Keys(c.Fields))
	for k := range prev.Fields {
		if _, ok := c.Fields[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if reflect.DeepEqual(c.Fields[k], prev.Fields[k]) {
			continue
		}
		label := k
		if t != nil {
			if s, ok := t.FieldSchema(k); ok && s.Label != "" {
				label = s.Label
			}
		}
		out = append(out, label)
	}
	return strings.Join(out, ", ")
}

// prevList reads a list of the previous snapshot, or nil when there is none (and the
// change cannot be told).
func prevList(prev *docket.Case, get func(*docket.Case) []string) []string {
	if prev == nil {
		return nil
	}
	l := get(prev)
	if l == nil {
		l = []string{}
	}
	return l
}

// listChange says what was added to and removed from a list: "Added x, y. Removed z."
func listChange(now, before []string) string {
	if before == nil {
		return ""
	}
	var added, removed []string
	for _, x := range now {
		if !slices.Contains(before, x) {
			added = append(added, x)
		}
	}
	for _, x := range before {
		if !slices.Contains(now, x) {
			removed = append(removed, x)
		}
	}
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "Added "+strings.Join(added, ", ")+".")
	}
	if len(removed) > 0 {
		parts = append(parts, "Removed "+strings.Join(removed, ", ")+".")
	}
	return strings.Join(parts, " ")
}

// objectLabels names the kinds of attached object.
var objectLabels = map[string]string{
	docket.KindAccount.Type: "Account", docket.KindInquiry.Type: "Inquiry",
	docket.KindReport.Type: "Report", docket.KindTransaction.Type: "Transaction",
}

// describeObject says what happened to an attached object ("Inquiry approved",
// "Transaction status changed to cleared"); subject is the object's id.
func describeObject(e *docket.Event) (subject, text string) {
	label := cmp.Or(objectLabels[e.ObjectType], humanize(e.ObjectType))
	subject = e.ObjectID
	_, verb, _ := strings.Cut(e.Name, ".")
	switch verb {
	case "status-updated":
		var snap struct {
			Status string `json:"status"`
		}
		if json.Unmarshal(e.Object, &snap) == nil && snap.Status != "" {
			return subject, label + " status changed to " + snap.Status
		}
	case "updated-fields":
		return subject, label + " fields changed"
	case "updated-tags":
		return subject, label + " tags changed"
	}
	return subject, label + " " + strings.ReplaceAll(verb, "-", " ")
}

// commentExcerpt is the start of a comment, as its event recorded it.
func commentExcerpt(e *docket.Event) string {
	var cm docket.Comment
	if json.Unmarshal(e.Object, &cm) != nil {
		return ""
	}
	if cm.RedactedAt != nil || cm.Body == "" {
		return "(redacted)"
	}
	const max = 200
	if utf8.RuneCountInString(cm.Body) <= max {
		return cm.Body
	}
	return string([]rune(cm.Body)[:max]) + "…"
}

// humanize turns an event or object name into words: "case.sla-expired" → "Case sla
// expired". Only names without a description of their own get this.
func humanize(name string) string {
	return sentence(strings.NewReplacer(".", " ", "-", " ", "_", " ").Replace(name))
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// describeProposal tells a four-eyes proposal or its sending back (the proposal is on the
// snapshot before the sending back).
func describeProposal(e *docket.Event, c, prev *docket.Case) string {
	if e.Name == docket.EventCaseResolutionProposed {
		if c.Proposal == nil {
			return "Proposed a decision"
		}
		return "Proposed " + c.Proposal.Status + ", for a second person to confirm"
	}
	if prev != nil && prev.Proposal != nil {
		return "Sent back the proposed " + prev.Proposal.Status
	}
	return "Sent back the proposed decision"
}
