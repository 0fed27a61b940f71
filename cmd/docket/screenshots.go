package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/headless"
	"github.com/docket-hq/docket/internal/screen"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/worker"
)

// screenshotsCmd renders the dashboard's main pages from demo data with headless
// Chromium, for the README.
type screenshotsCmd struct {
	Out string `name:"out" default:"docs/screenshots" help:"Folder for the PNG files (created if missing)."`
}

// shot is one screenshot: a page at a width.
type shot struct {
	file  string
	path  string
	width int64
	// signedOut takes the picture before signing in.
	signedOut bool
	// full takes the whole page rather than what fits on a screen.
	full bool
}

func (c *screenshotsCmd) Run(e *env) error {
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "docket-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dbURL := "sqlite:" + filepath.Join(tmp, "docket.db")
	demo, err := serveDemo(e, dbURL)
	if err != nil {
		return err
	}
	defer demo.stop()
	s, err := worker.OpenStore(e.ctx, dbURL)
	if err != nil {
		return err
	}
	defer s.Close()
	caseID, err := enrichDemo(e.ctx, s, demo.adminEmail)
	if err != nil {
		return fmt.Errorf("add comments and a queue to the demo: %w", err)
	}
	shots := []shot{
		{file: "sign-in.png", path: "/login", width: 1280, signedOut: true},
		{file: "home.png", path: "/", width: 1280},
		{file: "case-list.png", path: "/cases", width: 1280},
		{file: "case.png", path: "/cases/" + caseID, width: 1280},
		{file: "case-objects.png", path: "/cases/" + caseID + "#objects", width: 1280},
		{file: "queues.png", path: "/queues", width: 1280},
		{file: "notifications.png", path: "/notifications", width: 1280},
		{file: "case-phone.png", path: "/cases/" + caseID, width: 390},
		{file: "case-objects-phone.png", path: "/cases/" + caseID + "#objects", width: 390},
		{file: "case-list-phone.png", path: "/cases", width: 390},
		{file: "analytics.png", path: "/analytics", width: 1280, full: true},
		{file: "analytics-phone.png", path: "/analytics", width: 390},
	}
	admin, err := adminShots(e.ctx, s)
	if err != nil {
		return fmt.Errorf("find the demo's templates and workflows: %w", err)
	}
	shots = append(shots, admin...)
	b, err := headless.Start(e.ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	tab, closeTab, err := b.Tab()
	if err != nil {
		return err
	}
	defer closeTab()
	var failed []string
	for i, sh := range shots {
		if i > 0 && shots[i-1].signedOut && !sh.signedOut {
			if err := signInDemo(tab, demo); err != nil {
				return err
			}
		}
		if err := takeShot(tab, demo.base, filepath.Join(c.Out, sh.file), sh); err != nil {
			// A page that is missing or broken is reported, and the others are still taken.
			failed = append(failed, fmt.Sprintf("%s: %v", sh.file, err))
			continue
		}
		fmt.Fprintf(e.stdout, "%s\t%s at %d px\n", filepath.Join(c.Out, sh.file), sh.path, sh.width)
	}
	if len(failed) > 0 {
		return errors.New("some screenshots failed:\n  " + strings.Join(failed, "\n  "))
	}
	return nil
}

// demoServer is `docket serve --demo` running in this process.
type demoServer struct {
	base                      string
	adminEmail, adminPassword string
	stop                      func()
}

// adminLine is the demo admin's line in what serve --demo prints.
var adminLine = regexp.MustCompile(`(?m)^\s+admin\s+(\S+)\s+password: (\S+)$`)

// serveDemo runs the serve command with --demo on dbURL and a free port, as a person would
// start it, and reads the admin's sign-in from what it prints.
func serveDemo(e *env, dbURL string) (*demoServer, error) {
	ctx, cancel := context.WithCancel(e.ctx)
	var out lockedBuffer
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	args := []string{"--log-level", "warn", "serve", "--demo", "--database", dbURL, "--addr", "127.0.0.1:0"}
	go func() {
		errc <- runIO(ctx, args, func(string) string { return "" }, strings.NewReader(""), &out, e.stderr,
			func(addr string) { addrc <- addr })
	}()
	d := &demoServer{stop: func() { cancel(); <-errc }}
	select {
	case addr := <-addrc:
		d.base = "http://" + addr
	case err := <-errc:
		cancel()
		return nil, fmt.Errorf("serve --demo: %w", err)
	case <-time.After(time.Minute):
		d.stop()
		return nil, errors.New("serve --demo did not start within a minute")
	}
	m := adminLine.FindStringSubmatch(out.String())
	if m == nil {
		d.stop()
		return nil, fmt.Errorf("serve --demo printed no admin sign-in:\n%s", out.String())
	}
	d.adminEmail, d.adminPassword = m[1], m[2]
	return d, nil
}

// enrichDemo gives the demo what its pages show at their best: a queue, and a case with a
// conversation that mentions the admin (so the admin has a notification). It returns the
// id of that case.
func enrichDemo(ctx context.Context, s *store.Store, adminEmail string) (string, error) {
	tmpls, _, err := s.ListTemplates(ctx, docket.CaseTemplateFilter{Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return "", err
	}
	byKey := map[string]*docket.CaseTemplate{}
	for _, t := range tmpls {
		byKey[t.Key] = t
	}
	kyc, aml := byKey["KYC"], byKey["AML"]
	if kyc == nil || aml == nil {
		return "", errors.New("the demo has no KYC or AML template")
	}
	for _, q := range []*docket.CaseQueue{
		{Name: "KYC reviews", Filter: docket.CaseQueueFilter{TemplateIDs: []string{kyc.ID}}},
		{Name: "AML alerts", Filter: docket.CaseQueueFilter{TemplateIDs: []string{aml.ID}}},
	} {
		if err := s.CreateQueue(ctx, demoActor, q); err != nil {
			return "", err
		}
	}
	if err := demoWorkflow(ctx, s, kyc); err != nil {
		return "", fmt.Errorf("publish the demo workflow: %w", err)
	}
	cases, _, err := s.ListCases(ctx, docket.CaseFilter{TemplateID: aml.ID, Page: docket.Page{Size: 1}})
	if err != nil || len(cases) == 0 {
		return "", fmt.Errorf("find an AML case: %v", err)
	}
	c := cases[0]
	if err := demoIdentity(ctx, s, c); err != nil {
		return "", err
	}
	ada, err := s.FindUserByEmail(ctx, "ada@example.com")
	if err != nil {
		return "", err
	}
	// The admin, who is signed in for the pictures, gets this case and a KYC review.
	kycCases, _, err := s.ListCases(ctx, docket.CaseFilter{TemplateID: kyc.ID, Page: docket.Page{Size: 1}})
	if err != nil {
		return "", err
	}
	for _, mine := range append(kycCases, c) {
		if _, err := s.AssignCase(ctx, demoActor, mine.ID, adminEmail); err != nil {
			return "", err
		}
	}
	if err := demoScreening(ctx, s, c.ID); err != nil {
		return "", fmt.Errorf("screen the demo customer: %w", err)
	}
	asAda := docket.Actor{Type: docket.ActorUser, ID: ada.ID}
	for _, body := range []string{
		"Three deposits just under 10,000 USD in two days. Asking the customer for the source of funds.",
		"@" + adminEmail + " the customer sent payslips; they cover the amounts. Can you confirm we may clear this?",
	} {
		if _, err := s.AddComment(ctx, asAda, c.ID, body); err != nil {
			return "", err
		}
	}
	return c.ID, nil
}

var demoActor = docket.Actor{Type: docket.ActorSystem, ID: "screenshots"}

// demoIdentity gives the accounts of the pictured case an identity (a made-up person), as
// a customer pushing the hosted API's attributes would.
func demoIdentity(ctx context.Context, s *store.Store, c *docket.Case) error {
	str := func(v string) *string { return &v }
	for _, id := range c.ObjectIDs {
		if docket.IDPrefix(id) != docket.PrefixAccount {
			continue
		}
		_, err := s.UpdateAccount(ctx, demoActor, id, docket.AccountUpdate{Identity: docket.IdentityUpdate{
			Texts: map[string]*string{"name-first": str("Jane"), "name-middle": str("Marie"), "name-last": str("Doe"),
				"birthdate": str("1984-06-02"), "email-address": str("jane.doe@example.com"), "address-street-1": str("123 Main St"),
				"address-city": str("San Francisco"), "address-subdivision": str("California"), "address-postal-code": str("94111"),
				"country-code": str("US"), "social-security-number": str("123-45-6789")},
			IdentificationNumbers: &[]docket.IdentificationNumber{{Class: "passport", Number: "X1234567", IssuingCountry: "US"}}}})
		if err != nil {
			return fmt.Errorf("give the demo account an identity: %w", err)
		}
	}
	return nil
}

// demoScreening imports a small sanctions list, makes a report template and attaches to
// the case a screening report that matched, for the watch lists page and the case page.
func demoScreening(ctx context.Context, s *store.Store, caseID string) error {
	l := &docket.Watchlist{Name: "EU consolidated sanctions", Format: docket.WatchlistJSON}
	if err := s.CreateWatchlist(ctx, l); err != nil {
		return err
	}
	if _, err := s.ImportWatchlist(ctx, l.ID, []docket.WatchlistEntry{
		{UID: "EU.1201.7", Name: "Ivan Sergeyevich Petrov", Aliases: []string{"Иван Сергеевич Петров"}, BirthDates: []string{"1980-03-01"}, Countries: []string{"RU"}, Type: "individual"},
		{UID: "EU.2230.11", Name: "Marie-Thérèse Dubois", BirthDates: []string{"1971-02-14"}, Countries: []string{"FR"}, Type: "individual"},
		{UID: "EU.3310.2", Name: "Northern Star Shipping LLC", Countries: []string{"AE"}, Type: "entity"},
	}, nil); err != nil {
		return err
	}
	t := &docket.ReportTemplate{Name: "Sanctions screening", Threshold: 0.9, ListIDs: []string{l.ID}}
	if err := s.CreateReportTemplate(ctx, t); err != nil {
		return err
	}
	if err := s.CreateReportTemplate(ctx, &docket.ReportTemplate{Name: "Onboarding (all lists)"}); err != nil {
		return err
	}
	n, err := screen.NewScreener(s).Report(ctx, t, docket.ScreeningQuery{NameFirst: "Ivan", NameLast: "Petrov",
		Birthdate: "1980-03-01", Country: "RU"}, docket.NewReport{})
	if err != nil {
		return err
	}
	rep, err := s.CreateReport(ctx, demoActor, n)
	if err != nil {
		return err
	}
	_, err = s.AddCaseObjects(ctx, demoActor, caseID, []string{rep.ID})
	return err
}

// demoWorkflow publishes seed 003's workflow for the workflow editor's picture: a
// resolved KYC review approves or declines the inquiry it holds.
func demoWorkflow(ctx context.Context, s *store.Store, kyc *docket.CaseTemplate) error {
	wf, err := s.CreateWorkflow(ctx, demoActor, docket.NewWorkflow{Name: "KYC decision decides the inquiry",
		Description: "Seed 003: the reviewer's decision on a KYC case approves or declines its inquiry.",
		Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "case.resolved", Condition: `trigger["case-template-id"] == "` + kyc.ID + `"`},
			Steps: []docket.WorkflowStep{
				{ID: "route", Type: docket.StepConditional, Routes: []docket.Route{
					{Condition: `trigger.resolution == "Approved"`, Next: "approve"},
					{Condition: `trigger.resolution == "Declined"`, Next: "decline"},
					{Next: "end"}}},
				{ID: "approve", Type: docket.StepAction, Action: "approve-inquiry", Next: "end"},
				{ID: "decline", Type: docket.StepAction, Action: "decline-inquiry"},
			}}})
	if err != nil {
		return err
	}
	_, err = s.PublishWorkflow(ctx, demoActor, wf.ID)
	return err
}

// signInDemo signs the tab in as the demo admin.
func signInDemo(tab context.Context, d *demoServer) error {
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(d.base+"/login")); err != nil {
		return fmt.Errorf("open the sign-in page: %w", err)
	}
	resp, err := chromedp.RunResponse(ctx,
		chromedp.SetValue(chromedp.CSS("#email"), d.adminEmail),
		chromedp.SetValue(chromedp.CSS("#password"), d.adminPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)))
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return err
	}
	if u, _ := url.Parse(loc); resp.Status != 200 || u == nil || u.Path == "/login" {
		return fmt.Errorf("sign in as %s: status %d at %s", d.adminEmail, resp.Status, loc)
	}
	return nil
}

// takeShot loads the page at the shot's width and saves a PNG of what fits on a screen.
func takeShot(tab context.Context, base, file string, sh shot) error {
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	height := int64(860)
	var opts []chromedp.EmulateViewportOption
	if sh.width < 600 {
		height = 844
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sh.width, height, opts...)); err != nil {
		return err
	}
	// A #fragment is scrolled to after loading the page: a navigation that only changes
	// the fragment would load nothing (and answer no response).
	path, fragment, _ := strings.Cut(sh.path, "#")
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+path))
	if err != nil {
		return err
	}
	if resp.Status != 200 {
		return fmt.Errorf("%s: status %d", sh.path, resp.Status)
	}
	if fragment != "" {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("document.getElementById("+strconv.Quote(fragment)+").scrollIntoView() === undefined")); err != nil {
			return err
		}
	}
	shoot := chromedp.CaptureScreenshot()
	if sh.full {
		shoot = chromedp.FullScreenshot(100) // quality 100: PNG
	}
	png, err := chromedp.Run(ctx, shoot)
	if err != nil {
		return err
	}
	return os.WriteFile(file, png, 0o644)
}

// lockedBuffer is a buffer that a server goroutine writes while another reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// adminShots lists the administration pages to take: the index, each area's list, and a
// template's and a workflow's own page from the demo data.
func adminShots(ctx context.Context, s *store.Store) ([]shot, error) {
	out := []shot{
		{file: "admin.png", path: "/admin", width: 1280},
		{file: "admin-users.png", path: "/admin/users", width: 1280},
		{file: "admin-api-keys-new.png", path: "/admin/api-keys/new", width: 1280},
		{file: "admin-webhook-new.png", path: "/admin/webhooks/new", width: 1280},
		{file: "admin-events.png", path: "/admin/events", width: 1280},
		{file: "admin-audit.png", path: "/admin/audit", width: 1280},
		{file: "admin-audit-chain.png", path: "/admin/audit/chain", width: 1280},
		{file: "admin-watchlists.png", path: "/admin/watchlists", width: 1280},
	}
	templates, _, err := s.ListTemplates(ctx, docket.CaseTemplateFilter{Page: docket.Page{Size: 1}})
	if err != nil {
		return nil, err
	}
	if len(templates) > 0 {
		out = append(out, shot{file: "admin-template.png", path: "/admin/templates/" + templates[0].ID, width: 1280})
	}
	workflows, _, err := s.ListWorkflows(ctx, docket.WorkflowFilter{Page: docket.Page{Size: 1}})
	if err != nil {
		return nil, err
	}
	if len(workflows) > 0 {
		out = append(out, shot{file: "admin-workflow.png", path: "/admin/workflows/" + workflows[0].ID, width: 1280})
	}
	return out, nil
}
