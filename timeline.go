package docket

import "context"

// A case's timeline is one list of what happened to it: the events of the case itself,
// of its comments and of the objects attached to it (an inquiry approved, a report
// matched), newest first. The API (GET /cases/{id}/timeline) and the dashboard's case
// page read the same list.

// TimelineObjectIDs lists the objects whose events make up the case's timeline: the case,
// its comments and the objects attached to it now.
func (c *Case) TimelineObjectIDs() []string {
	ids := make([]string, 0, 1+len(c.CommentIDs)+len(c.ObjectIDs))
	ids = append(ids, c.ID)
	ids = append(ids, c.CommentIDs...)
	return append(ids, c.ObjectIDs...)
}

// TimelineFilter asks for one page of a case's timeline.
type TimelineFilter struct {
	CaseID string
	// Visibility hides the case from readers who may not see its template: the
	// timeline of a hidden case is not found, like the case.
	Visibility Visibility
	Page       Page
}

// ActorNames holds what people call the actors of some events: users by name (or email
// address), API keys by name, workflow runs by their workflow's name and workflow id,
// assignment policies by their template's name. An actor missing from it (a deleted key,
// a system process) is shown by its type and id.
type ActorNames struct {
	Names map[Actor]string
	// RunWorkflows gives the workflow id of each workflow-run actor, for links.
	RunWorkflows map[string]string
}

// Name returns the name of a, or "" if it has none.
func (n ActorNames) Name(a Actor) string { return n.Names[a] }

// TimelineService reads case timelines and names the actors in them.
type TimelineService interface {
	// CaseTimeline returns a page of the events of the case, of its comments and of the
	// objects now attached to it, newest first. Paging is by event id (Page.After and
	// Page.Before), so a page costs the same however long the timeline is.
	CaseTimeline(ctx context.Context, f TimelineFilter) ([]*Event, PageResult, error)
	// NameActors returns the names of the actors, each looked up once whatever the
	// number of events they appear in.
	NameActors(ctx context.Context, actors []Actor) (ActorNames, error)
}
