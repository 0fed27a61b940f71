package ui

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/docket-hq/docket"
)

// The case page's timeline: one list of the events of the case, its comments and its
// objects (Case.TimelineObjectIDs; the API's GET /api/v1/cases/{id}/timeline reads the
// same), newest first, each said in words with who did it.

// timelineData is a page of the timeline as read, before the actors are named.
type timelineData struct {
	caseID   string
	template *docket.CaseTemplate
	events   []*docket.Event
	pr       docket.PageResult
	// cases holds the case snapshot of each case event, by event id; prev holds the
	// snapshot before it (nil when the event is the case's first), so that a change can
	// be told as "from ... to ...".
	cases map[string]*docket.Case
	prev  map[string]*docket.Case
}

// timelineView is what the page shows: the entries and links to the pages around them.
type timelineView struct {
	Entries      []timelineEntry
	Older, Newer string
}

type timelineEntry struct {
	ID   string
	When when
	// Subject is the object's id, for events of attached objects.
	Subject string
	Text    string
	Detail  string
	// Kind is "case", "comment" or "object", for styling.
	Kind  string
	Actor actorView
}

// actorView is who did something, in words, with a link where there is a page.
type actorView struct {
	Name string
	URL  string
}

// caseTimeline reads the page of the timeline that the query asks for (timeline-after
// or timeline-before an event id) and the case snapshots that came before its changes.
func (h *Handler) caseTimeline(r *http.Request, cc *caseCtx, t *docket.CaseTemplate) (*timelineData, error) {
	q := r.URL.Query()
	p := docket.Page{Size: timelinePage}
	if a := q.Get("timeline-after"); docket.ValidID(docket.PrefixEvent, a) {
		p.After = a
	} else if b := q.Get("timeline-before"); docket.ValidID(docket.PrefixEvent, b) {
		p.Before = b
	}
	// The query of the store's CaseTimeline, on the case already read (and checked
	// visible) rather than read again.
	events, pr, err := h.store.ListEvents(r.Context(), docket.EventFilter{ObjectIDs: cc.c.TimelineObjectIDs(), Page: p})
	if err != nil {
		return nil, err
	}
	tl := &timelineData{caseID: cc.c.ID, template: t, events: events, pr: pr, cases: map[string]*docket.Case{}, prev: map[string]*docket.Case{}}
	var order []*docket.Event // the page's case events, newest first
	for _, e := range events {
		if e.ObjectType == "case" {
			if c := decodeCase(e); c != nil {
				tl.cases[e.ID] = c
				order = append(order, e)
			}
		}
	}
	if len(order) == 0 {
		return tl, nil
	}
	// The snapshot before the page's oldest case changes is on a later page: read the
	// few case events just below it (a change may record two events of one snapshot).
	older, _, err := h.store.ListEvents(r.Context(), docket.EventFilter{ObjectID: cc.c.ID, Page: docket.Page{Size: 3, After: order[len(order)-1].ID}})
	if err != nil {
		return nil, err
	}
	snaps := make([]*docket.Case, 0, len(order)+len(older))
	for _, e := range order {
		snaps = append(snaps, tl.cases[e.ID])
	}
	for _, e := range older {
		if c := decodeCase(e); c != nil {
			snaps = append(snaps, c)
		}
	}
	for i, e := range order {
		// The one before is the next older snapshot of an earlier version: the events
		// one change records share their snapshot.
		for _, s := range snaps[i+1:] {
			if s.Version < snaps[i].Version {
				tl.prev[e.ID] = s
				break
			}
		}
	}
	return tl, nil
}

func decodeCase(e *docket.Event) *docket.Case {
	var c docket.Case
	if json.Unmarshal(e.Object, &c) != nil {
		return nil
	}
	return &c
}

// actors lists whom the page must name: the events' actors and the assignees of the case
// snapshots.
func (tl *timelineData) actors() []docket.Actor {
	var out []docket.Actor
	for _, e := range tl.events {
		out = append(out, e.Actor)
	}
	for _, m := range []map[string]*docket.Case{tl.cases, tl.prev} {
		for _, c := range m {
			if c.AssigneeID != nil {
				out = append(out, docket.Actor{Type: docket.ActorUser, ID: *c.AssigneeID})
			}
		}
	}
	return out
}

// view says each event in words.
func (tl *timelineData) view(now time.Time, names docket.ActorNames) timelineView {
	var v timelineView
	for _, e := range tl.events {
		en := timelineEntry{ID: e.ID, When: whenOf(now, e.CreatedAt), Actor: actorOf(e.Actor, names)}
		switch e.ObjectType {
		case "case":
			en.Kind = "case"
			en.Text, en.Detail = describeCase(e, tl.cases[e.ID], tl.prev[e.ID], tl.template, names)
		case "case-comment":
			en.Kind = "comment"
			en.Text, en.Detail = "Commented", commentExcerpt(e)
		default:
			en.Kind = "object"
			en.Subject, en.Text = describeObject(e)
		}
		v.Entries = append(v.Entries, en)
	}
	base := "/cases/" + url.PathEscape(tl.caseID) + "?"
	if n := len(tl.events); n > 0 {
		if tl.pr.HasNext {
			v.Older = base + url.Values{"timeline-after": {tl.events[n-1].ID}}.Encode() + "#timeline"
		}
		if tl.pr.HasPrev {
			v.Newer = base + url.Values{"timeline-before": {tl.events[0].ID}}.Encode() + "#timeline"
		}
	}
	return v
}

// actorOf says who an actor is: a person by name, an API key, a workflow (linked to the
// run's record), a template's assignment policy, or Docket itself.
func actorOf(a docket.Actor, names docket.ActorNames) actorView {
	name := names.Name(a)
	switch a.Type {
	case docket.ActorUser:
		return actorView{Name: cmp.Or(name, "a former user")}
	case docket.ActorAPIKey:
		if name == "" {
			return actorView{Name: "API key " + a.ID}
		}
		return actorView{Name: "API key “" + name + "”"}
	case docket.ActorWorkflowRun:
		v := actorView{Name: "a workflow run", URL: "/workflow-runs/" + url.PathEscape(a.ID)}
		if name != "" {
			v.Name = "workflow “" + name + "”"
		}
		return v
	case docket.ActorAssignmentPolicy:
		if name == "" {
			return actorView{Name: "the assignment policy"}
		}
		return actorView{Name: "the assignment policy of “" + name + "”"}
	}
	return actorView{Name: "Docket (" + a.ID + ")"}
}
