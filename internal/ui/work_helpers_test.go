package ui_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/worker"
)

// The helpers of the My work, queue and notification tests.

var sysActor = docket.Actor{Type: docket.ActorSystem, ID: "test"}

// newWorkSite serves the dashboard over a store with its reactions (notifications).
func newWorkSite(t *testing.T, dbURL string) *site {
	t.Helper()
	return newSiteOn(t, dbURL, worker.OpenStore, nil)
}

func (s *site) template(name, key string, roles ...string) *docket.CaseTemplate {
	s.t.Helper()
	tm := &docket.CaseTemplate{Name: name, Key: key, VisibleToRoles: roles}
	noErr(s.t, s.store.CreateTemplate(ctx, sysActor, tm))
	return tm
}

// kase creates a case with an SLA of sla seconds (0: none), assigned to assignee ("":
// nobody).
func (s *site) kase(tm *docket.CaseTemplate, sla int64, assignee string) *docket.Case {
	s.t.Helper()
	nc := docket.NewCase{TemplateID: tm.ID}
	if sla != 0 {
		nc.SLAExpiresInSecond = &sla
	}
	c, err := s.store.CreateCase(ctx, sysActor, nc)
	noErr(s.t, err)
	if assignee != "" {
		c, err = s.store.AssignCase(ctx, sysActor, c.ID, assignee)
		noErr(s.t, err)
	}
	return c
}

func (s *site) queue(name string, templates ...*docket.CaseTemplate) *docket.CaseQueue {
	s.t.Helper()
	q := &docket.CaseQueue{Name: name}
	for _, tm := range templates {
		q.Filter.TemplateIDs = append(q.Filter.TemplateIDs, tm.ID)
	}
	noErr(s.t, s.store.CreateQueue(ctx, sysActor, q))
	return q
}

// hideFrom re-scopes a template so that only the roles listed see its cases.
func (s *site) hideFrom(tm *docket.CaseTemplate, roles ...string) {
	s.t.Helper()
	_, err := s.store.UpdateTemplate(ctx, sysActor, tm.ID, docket.CaseTemplateUpdate{VisibleToRoles: &roles})
	noErr(s.t, err)
}

// section returns the part of a page from the element with the id to the end of its
// <section>, so that a test looks at one list of a page with several.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no #%s on the page:\n%s", id, body)
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// linkTexts returns the texts of the links whose address starts with prefix, in order.
func linkTexts(body, prefix string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<a href="`+regexp.QuoteMeta(prefix)+`[^"]*">([^<]+)</a>`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// badge returns the unread count the header badge shows ("" for no badge).
func badge(body string) string {
	m := regexp.MustCompile(`<span class="badge"><span class="visually-hidden">unread: </span>([^<]+)</span>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func wantList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("%s: %q, want %q", what, got, want)
	}
}

// regexpFind returns the first group of the first match of re in body.
func regexpFind(t *testing.T, body, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s on the page:\n%s", re, body)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}
