package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// accessLogPage is the access log browser: the filters, a page of entries and the pager.
type accessLogPage struct {
	// Source, Actor, ObjectID, From and To are the filters as typed (a GET form, so
	// that a filtered view is a link to share).
	Source, Actor, ObjectID, From, To string
	Entries                           []accessRow
	Pager                             pager
	// Case names the case the list is filtered by, when the object is one the reader
	// may see: "Who opened this case".
	Case *docket.Case
}

// accessRow is one request as a line of the access log.
type accessRow struct {
	*docket.AccessLogEntry
	At when
	// Exact is the time to the second, in UTC: what an examiner compares with other logs.
	Exact string
	Actor actorView
	// Person is the user behind an API key, when the key belongs to one.
	Person  *actorView
	Objects []accessObject
}

// accessObject is an id a request named, with the page it opens ("" for none).
type accessObject struct{ ID, URL string }

// accessLogSize is how many entries a page of the access log shows.
const accessLogSize = 50

// adminAuditLog serves GET /admin/audit: the access log, newest first, as GET
// /api/v1/user-audit-logs (source dashboard, the default) and /api/v1/api-logs (source
// api) list it, filtered by actor (an id, or a user's email address), object and time.
func (h *Handler) adminAuditLog(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermAudit)
	if err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixRequest, accessLogSize)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := &accessLogPage{Source: q.Get("source"), Actor: strings.TrimSpace(q.Get("actor")),
		ObjectID: strings.TrimSpace(q.Get("object-id")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	v := &View{Title: "Access log", Nav: "admin", Data: d}
	f, errs := h.accessLogFilter(r, d)
	if len(errs) > 0 {
		v.Errors = errs
		return h.render(w, r, http.StatusBadRequest, "admin_audit_log", v)
	}
	f.Page = p
	list, pr, err := h.store.ListAccessLog(r.Context(), f)
	if err != nil {
		return err
	}
	if d.Entries, err = h.accessRows(r, a, list); err != nil {
		return err
	}
	if docket.IDPrefix(d.ObjectID) == docket.PrefixCase {
		if c, err := h.store.FindCase(r.Context(), d.ObjectID); err == nil && a.P.CanSeeTemplate(a.Templates[c.TemplateID]) {
			d.Case = c
		}
	}
	after, before := cursors(list, func(e *docket.AccessLogEntry) string { return e.ID }, pr)
	d.Pager = pager{Prev: d.pageURL("before", before), Next: d.pageURL("after", after)}
	return h.render(w, r, http.StatusOK, "admin_audit_log", v)
}

// accessLogFilter reads the form's filters into the store's filter; errors are keyed by
// the input they are about.
func (h *Handler) accessLogFilter(r *http.Request, d *accessLogPage) (docket.AccessLogFilter, map[string]string) {
	errs := map[string]string{}
	f := docket.AccessLogFilter{Source: docket.AccessSourceDashboard, ObjectID: d.ObjectID}
	switch d.Source {
	case "", docket.AccessSourceDashboard:
		d.Source = docket.AccessSourceDashboard
	case docket.AccessSourceAPI:
		f.Source = docket.AccessSourceAPI
	default:
		errs["source"] = "Choose the dashboard or the API."
	}
	if strings.Contains(d.Actor, "@") {
		// People are known by their email address; the log keeps their id.
		u, err := h.store.FindUserByEmail(r.Context(), d.Actor)
		switch {
		case docket.ErrorCode(err) == docket.ENotFound:
			errs["actor"] = "No user has this email address."
		case err != nil:
			errs[""] = "The user could not be looked up: try again."
		default:
			f.ActorID = u.ID
		}
	} else {
		f.ActorID = d.Actor
	}
	const badTime = "Give a time like 2026-01-02T15:04 (UTC) or a date like 2026-01-02."
	var ok bool
	if f.CreatedAtStart, ok = formTime(d.From, false); !ok {
		errs["from"] = badTime
	}
	if f.CreatedAtEnd, ok = formTime(d.To, true); !ok {
		errs["to"] = badTime
	}
	if f.CreatedAtStart != nil && f.CreatedAtEnd != nil && !f.CreatedAtEnd.After(*f.CreatedAtStart) {
		errs["to"] = "The end must come after the start."
	}
	return f, errs
}

// formTimeLayouts are the times a filter takes: what a datetime-local input sends (to
// the minute or the second), an RFC 3339 time, or a date.
var formTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339Nano}

// formTime reads a time filter, in UTC unless it says otherwise. As the end of a range
// (end true) it includes what it names: a date its whole day, a minute its whole minute.
// It reports false for text that is not a time; "" is no bound.
func formTime(s string, end bool) (*time.Time, bool) {
	if s == "" {
		return nil, true
	}
	for i, layout := range formTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if end && i == 0 {
				t = t.Add(time.Minute)
			}
			return &t, true
		}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, false
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return &t, true
}

// pageURL is the log's address with the same filters and one cursor ("" without it).
func (d *accessLogPage) pageURL(cursor, id string) string {
	if id == "" {
		return ""
	}
	v := url.Values{cursor: {id}, "source": {d.Source}}
	for k, x := range map[string]string{"actor": d.Actor, "object-id": d.ObjectID, "from": d.From, "to": d.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return "/admin/audit?" + v.Encode()
}

// accessRows names the entries' actors (and the people behind API keys) in one read and
// links what the reader may open.
func (h *Handler) accessRows(r *http.Request, a *access, list []*docket.AccessLogEntry) ([]accessRow, error) {
	var actors []docket.Actor
	for _, e := range list {
		if e.Actor != nil {
			actors = append(actors, *e.Actor)
		}
		if e.UserID != "" && (e.Actor == nil || e.Actor.ID != e.UserID) {
			actors = append(actors, docket.Actor{Type: docket.ActorUser, ID: e.UserID})
		}
	}
	names, err := h.store.NameActors(r.Context(), actors)
	if err != nil {
		return nil, err
	}
	now := h.now()
	out := make([]accessRow, len(list))
	for i, e := range list {
		row := accessRow{AccessLogEntry: e, At: whenOf(now, e.CreatedAt),
			Exact: e.CreatedAt.UTC().Format("2006-01-02 15:04:05"), Actor: actorView{Name: "nobody signed in"}}
		if e.Actor != nil {
			row.Actor = auditActor(a, *e.Actor, names)
		}
		if e.UserID != "" && (e.Actor == nil || e.Actor.ID != e.UserID) {
			p := auditActor(a, docket.Actor{Type: docket.ActorUser, ID: e.UserID}, names)
			row.Person = &p
		}
		for _, id := range e.ObjectIDs {
			o := accessObject{ID: id}
			if docket.IDPrefix(id) == docket.PrefixCase {
				o.URL = "/cases/" + url.PathEscape(id)
			}
			row.Objects = append(row.Objects, o)
		}
		out[i] = row
	}
	return out, nil
}

// auditActor is an actor in words, linked to their page where one exists and the reader
// may open it: a user's to the user, a key's to the keys.
func auditActor(a *access, x docket.Actor, names docket.ActorNames) actorView {
	v := actorOf(x, names)
	known := names.Name(x) != ""
	switch {
	case x.Type == docket.ActorUser && known && a.P.Can(docket.PermManageUsers):
		v.URL = "/admin/users/" + url.PathEscape(x.ID)
	case x.Type == docket.ActorAPIKey && known && a.P.Can(docket.PermManageAPIKeys):
		v.URL = "/admin/api-keys"
	}
	return v
}
