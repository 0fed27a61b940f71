package ui_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/worker"
)

// system is the actor of fixtures written straight to the store.
var system = docket.Actor{Type: docket.ActorSystem, ID: "test"}

// caseWorld is a site with one case of every kind of object, and people of every role:
// ada and bob review, max manages, vic views, root administers.
type caseWorld struct {
	*site
	tmpl              *docket.CaseTemplate
	c, related        *docket.Case
	account           *docket.Account
	inquiry           *docket.Inquiry
	report            *docket.Report
	txn               *docket.Transaction
	ada, bob, max, vc *docket.User
	root              *docket.User
}

func newCaseWorld(t *testing.T, dbURL string) *caseWorld {
	t.Helper()
	s := newSiteOn(t, dbURL, worker.OpenStore, nil)
	w := &caseWorld{site: s}
	w.ada, w.bob = s.user("ada@example.com", docket.RoleReviewer), s.user("bob@example.com", docket.RoleReviewer)
	w.max, w.vc = s.user("max@example.com", docket.RoleManager), s.user("vic@example.com", docket.RoleViewer)
	w.root = s.user("root@example.com", docket.RoleAdmin)
	zero, day := 0.0, int64(24*3600)
	w.tmpl = &docket.CaseTemplate{Name: "KYC review", Key: "KYC", SLASeconds: &day, FieldSchemas: []docket.FieldSchema{
		{Key: "amount", Type: docket.FieldFloat, Label: "Amount", Config: docket.FieldConfig{Min: &zero}},
		{Key: "reason", Type: docket.FieldChoices, Label: "Reason", Config: docket.FieldConfig{Options: []string{"under-18", "pep"}}},
		{Key: "note", Type: docket.FieldString, Label: "Note"},
		{Key: "details", Type: docket.FieldHash, Label: "Details"},
	}}
	noErr(t, s.store.CreateTemplate(ctx, system, w.tmpl))
	ref := "cust-42"
	w.account = &docket.Account{ReferenceID: &ref, Fields: map[string]any{"country": "NZ"}}
	noErr(t, s.store.CreateAccount(ctx, system, w.account))
	var err error
	w.inquiry, err = s.store.CreateInquiry(ctx, system, docket.NewInquiry{ReferenceID: &ref, Fields: map[string]any{"birthdate": "2012-04-01"}})
	noErr(t, err)
	w.report, err = s.store.CreateReport(ctx, system, docket.NewReport{Type: "report/watchlist", Status: docket.ReportReady, Matched: true,
		Result: map[string]any{"matches": []any{"OFAC SDN"}}, ReferenceID: &ref})
	noErr(t, err)
	tt := &docket.TransactionType{Name: "Alert", FieldSchemas: []docket.FieldSchema{
		{Key: "amount", Type: docket.FieldFloat}, {Key: "currency", Type: docket.FieldString}, {Key: "channel", Type: docket.FieldString}}}
	noErr(t, s.store.CreateTransactionType(ctx, system, tt))
	w.txn, err = s.store.CreateTransaction(ctx, system, docket.NewTransaction{TypeID: tt.ID, ReferenceID: &ref,
		Fields: map[string]any{"amount": 12000.5, "currency": "USD", "channel": "wire"}})
	noErr(t, err)
	sla := int64(3*3600 + 20*60 + 30)
	w.c, err = s.store.CreateCase(ctx, system, docket.NewCase{TemplateID: w.tmpl.ID, SLAExpiresInSecond: &sla, Tags: []string{"urgent"},
		Fields:    map[string]any{"amount": 250.5, "reason": "pep"},
		ObjectIDs: []string{w.account.ID, w.inquiry.ID, w.report.ID, w.txn.ID}})
	noErr(t, err)
	w.related, err = s.store.CreateCase(ctx, system, docket.NewCase{TemplateID: w.tmpl.ID, ObjectIDs: []string{w.account.ID}})
	noErr(t, err)
	return w
}

// as returns a browser signed in as the user.
func (w *caseWorld) as(u *docket.User) *browser {
	b := w.browser()
	b.signIn(u.Email)
	return b
}

// path is the case page's address, with an optional suffix ("/status").
func (w *caseWorld) path(suffix string) string { return "/cases/" + w.c.ID + suffix }

// submit posts a form of the case page, with the page's CSRF token.
func (b *browser) submit(pagePath, action string, fields ...string) *page {
	b.t.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Add(fields[i], fields[i+1])
	}
	return b.post(pagePath, action, form)
}

// follow loads the page a redirect points to and fails unless p is a redirect.
func (b *browser) follow(p *page) *page {
	b.t.Helper()
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("want a redirect, got %d\n%s", p.status, p.body)
	}
	return b.get(p.location())
}

// lacks fails if the page holds any of the fragments.
func (p *page) lacks(t *testing.T, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(p.body, f) {
			t.Fatalf("page holds %q:\n%s", f, p.body)
		}
	}
}

// startWorkers runs the site's background jobs (workflow runs, webhook deliveries), as
// docket serve does. Deliveries may reach the tests' receivers on loopback and retry soon.
func (s *site) startWorkers() {
	s.t.Helper()
	r, err := worker.New(ctx, s.store, worker.Config{PollInterval: 20 * time.Millisecond,
		Webhook: webhook.Config{AllowPrivate: true, Timeout: 5 * time.Second, RetryBase: 50 * time.Millisecond}},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	noErr(s.t, err)
	noErr(s.t, r.Start(ctx))
	s.t.Cleanup(func() { r.Stop(ctx) })
}
