package main

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/docket-hq/docket/internal/storetest"
)

// mailbox is a real SMTP server (emersion/go-smtp) on loopback that records every message.
type mailbox struct {
	t    *testing.T
	addr string

	mu   sync.Mutex
	srv  *smtp.Server
	msgs []*mailMsg
}

// mailMsg is one received message: the envelope and the parsed headers and body.
type mailMsg struct {
	EnvFrom string
	EnvTo   []string
	From    string
	To      string
	Subject string // decoded
	Body    string
	Raw     []byte
}

// newMailbox starts a mailbox listening on loopback.
func newMailbox(t *testing.T) *mailbox {
	mb := newDownMailbox(t)
	mb.up()
	return mb
}

// newDownMailbox reserves a loopback address for a mailbox without listening on it:
// connections are refused until up.
func newDownMailbox(t *testing.T) *mailbox {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb := &mailbox{t: t, addr: ln.Addr().String()}
	ln.Close()
	t.Cleanup(func() {
		mb.mu.Lock()
		defer mb.mu.Unlock()
		if mb.srv != nil {
			mb.srv.Close()
		}
	})
	return mb
}

func (mb *mailbox) up() {
	mb.t.Helper()
	var ln net.Listener
	var err error
	deadline := time.Now().Add(5 * time.Second)
	for { // the port may linger briefly
		if ln, err = net.Listen("tcp", mb.addr); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		mb.t.Fatalf("mailbox listen on %s: %v", mb.addr, err)
	}
	srv := smtp.NewServer(mb)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	mb.mu.Lock()
	mb.srv = srv
	mb.mu.Unlock()
	go srv.Serve(ln)
}

// url is DOCKET_SMTP_URL for the mailbox.
func (mb *mailbox) url() string { return "smtp://" + mb.addr + "?from=docket@example.com" }

func (mb *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }

// all returns the messages received so far.
func (mb *mailbox) all() []*mailMsg {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]*mailMsg(nil), mb.msgs...)
}

// matching returns the messages to the address whose subject contains s.
func (mb *mailbox) matching(to, s string) []*mailMsg {
	var out []*mailMsg
	for _, m := range mb.all() {
		if m.To == to && strings.Contains(m.Subject, s) {
			out = append(out, m)
		}
	}
	return out
}

func (mb *mailbox) summary() string {
	var out []string
	for _, m := range mb.all() {
		out = append(out, m.To+": "+m.Subject)
	}
	return fmt.Sprintf("%d messages %q", len(out), out)
}

type mailSession struct {
	mb  *mailbox
	cur mailMsg
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur = mailMsg{EnvFrom: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.EnvTo = append(s.cur.EnvTo, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := s.cur
	m.Raw = raw
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	m.From, m.To = msg.Header.Get("From"), msg.Header.Get("To")
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	m.Body = string(body)
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, &m)
	s.mb.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.cur = mailMsg{} }
func (s *mailSession) Logout() error { return nil }

// checkMail checks a message's envelope, headers and body.
func checkMail(t *testing.T, m *mailMsg, to, subject, bodyPart string) {
	t.Helper()
	if m.EnvFrom != "docket@example.com" || len(m.EnvTo) != 1 || m.EnvTo[0] != to {
		t.Errorf("envelope from %q to %q, want docket@example.com to %s", m.EnvFrom, m.EnvTo, to)
	}
	if m.From != "docket@example.com" || m.To != to || m.Subject != subject {
		t.Errorf("headers From %q To %q Subject %q, want docket@example.com, %s, %q", m.From, m.To, m.Subject, to, subject)
	}
	if !strings.Contains(m.Body, bodyPart) || !strings.HasSuffix(m.Body, "\r\n") {
		t.Errorf("body %q lacks %q", m.Body, bodyPart)
	}
	if bytes.Contains(bytes.ReplaceAll(m.Raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("message has bare LF line ends: %q", m.Raw)
	}
}

// notifications lists a user's notifications through the API.
func notifications(t *testing.T, base, userID string) []map[string]any {
	t.Helper()
	_, doc := call(t, base, "GET", "/api/v1/users/"+userID+"/notifications?page[size]=100", "")
	var out []map[string]any
	for _, x := range doc["data"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// allEmailed waits until the user has want notifications, each with emailed-at set.
func allEmailed(t *testing.T, base, userID string, want int) []map[string]any {
	t.Helper()
	var list []map[string]any
	eventually(t, 15*time.Second, func() (bool, string) {
		list = notifications(t, base, userID)
		emailed := 0
		for _, n := range list {
			if attr(n, "emailed-at") != nil {
				emailed++
			}
		}
		return len(list) == want && emailed == want, fmt.Sprintf("%d notifications, %d emailed, want %d", len(list), emailed, want)
	})
	return list
}

func mkUserAPI(t *testing.T, base, email string) string {
	t.Helper()
	return must(t, 201)(call(t, base, "POST", "/api/v1/users",
		fmt.Sprintf(`{"data":{"attributes":{"email-address":%q,"role":"reviewer"}}}`, email)))["id"].(string)
}

// TestNotificationEmails: a new case on a template that notifies two addresses and assigns
// round robin sends "New case" to both and "is assigned to you" to the assignee, through a
// real SMTP server; the notifications then show emailed-at.
func TestNotificationEmails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		mb := newMailbox(t)
		s := startServerEnv(t, dbURL, map[string]string{"DOCKET_SMTP_URL": mb.url(), "DOCKET_JOB_POLL_INTERVAL": "20ms"})
		ada := mkUserAPI(t, s.base, "ada@example.com")
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates", fmt.Sprintf(`{"data":{"attributes":{
			"name":"KYC review","key":"KYC","notification-policy":{"emails":["ada@example.com","ops@example.org"]},
			"assignment-policy":{"type":"round-robin","user-ids":[%q]}}}}`, ada)))
		c := must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl["id"])))
		if attr(c, "assignee-id") != ada || attr(c, "name") != "KYC-1" {
			t.Fatalf("case %v", c)
		}
		eventually(t, 15*time.Second, func() (bool, string) { return len(mb.all()) >= 3, mb.summary() })

		created := "A new KYC review case, KYC-1, was created."
		for _, to := range []string{"ada@example.com", "ops@example.org"} {
			got := mb.matching(to, "New case")
			if len(got) != 1 {
				t.Fatalf("%s: %d \"New case\" mails; %s", to, len(got), mb.summary())
			}
			checkMail(t, got[0], to, "[Docket] New case KYC-1", created)
		}
		assigned := mb.matching("ada@example.com", "is assigned to you")
		if len(assigned) != 1 {
			t.Fatalf("%d assignment mails; %s", len(assigned), mb.summary())
		}
		checkMail(t, assigned[0], "ada@example.com", "[Docket] KYC-1 is assigned to you", "Case KYC-1 is now assigned to you.")

		list := allEmailed(t, s.base, ada, 2)
		kinds := map[string]bool{}
		for _, n := range list {
			kinds[attr(n, "kind").(string)] = true
			if attr(n, "email-address") != "ada@example.com" || attr(n, "read-at") != nil {
				t.Fatalf("notification %v", n)
			}
		}
		if !kinds["case-created"] || !kinds["case-assigned"] {
			t.Fatalf("kinds %v", kinds)
		}
		if n := len(mb.all()); n != 3 {
			t.Fatalf("%d mails after all were emailed, want 3; %s", n, mb.summary())
		}
	})
}

// TestNotificationEmailServerDown: while the mail server is down a new case is still
// created at once, and its mail arrives, once, after the server comes up.
func TestNotificationEmailServerDown(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		mb := newDownMailbox(t)
		s := startServerEnv(t, dbURL, map[string]string{"DOCKET_SMTP_URL": mb.url(), "DOCKET_JOB_POLL_INTERVAL": "20ms",
			"DOCKET_SMTP_RETRY_BASE": "200ms"})
		ada := mkUserAPI(t, s.base, "ada@example.com")
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates",
			`{"data":{"attributes":{"name":"KYC review","key":"KYC","notification-policy":{"emails":["ada@example.com"]}}}}`))
		start := time.Now()
		must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl["id"])))
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("creating a case with the mail server down took %v", d)
		}
		// Wait for a failed attempt, so that the mail is known to be delayed, not just early.
		db := openDB(t, dbURL)
		eventually(t, 15*time.Second, func() (bool, string) {
			var attempts int
			var errs string
			err := db.QueryRow(`SELECT attempt, CAST(errors AS TEXT) FROM river_job WHERE kind = 'send_email'`).Scan(&attempts, &errs)
			return err == nil && attempts >= 1 && strings.Contains(errs, "connect"), fmt.Sprintf("attempt %d, errors %.200s, %v", attempts, errs, err)
		})
		if list := notifications(t, s.base, ada); len(list) != 1 || attr(list[0], "emailed-at") != nil {
			t.Fatalf("before the server is up: %v", list)
		}
		mb.up()
		eventually(t, 15*time.Second, func() (bool, string) { return len(mb.all()) >= 1, mb.summary() })
		got := mb.matching("ada@example.com", "New case")
		if len(got) != 1 {
			t.Fatalf("%s", mb.summary())
		}
		checkMail(t, got[0], "ada@example.com", "[Docket] New case KYC-1", "A new KYC review case, KYC-1, was created.")
		allEmailed(t, s.base, ada, 1)
		if n := len(mb.all()); n != 1 {
			t.Fatalf("%d mails, want 1; %s", n, mb.summary())
		}
	})
}

// slaTemplate creates a user, and a template that assigns every case to them.
func slaTemplate(t *testing.T, base string) (userID, tmplID string) {
	t.Helper()
	userID = mkUserAPI(t, base, "ada@example.com")
	tmpl := must(t, 201)(call(t, base, "POST", "/api/v1/case-templates", fmt.Sprintf(`{"data":{"attributes":{
		"name":"Alerts","key":"AML","assignment-policy":{"type":"round-robin","user-ids":[%q]}}}}`, userID)))
	return userID, tmpl["id"].(string)
}

// slaCase creates a case with a one-second SLA and returns its id and name.
func slaCase(t *testing.T, base, tmpl string) (string, string) {
	t.Helper()
	c := must(t, 201)(call(t, base, "POST", "/api/v1/cases",
		fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}},"meta":{"sla-expires-in-seconds":1}}`, tmpl)))
	return c["id"].(string), attr(c, "name").(string)
}

// slaEventCases counts the case.sla-expired events per case.
func slaEventCases(t *testing.T, base string) map[string]int {
	t.Helper()
	out := map[string]int{}
	after := ""
	for {
		q := "/api/v1/events?filter[name]=case.sla-expired&page[size]=100"
		if after != "" {
			q += "&page[after]=" + after
		}
		_, doc := call(t, base, "GET", q, "")
		list, _ := doc["data"].([]any)
		for _, x := range list {
			e := x.(map[string]any)
			data, _ := attr(e, "payload").(map[string]any)["data"].(map[string]any)
			out[data["id"].(string)]++
			after = e["id"].(string)
		}
		if len(list) < 100 {
			return out
		}
	}
}

// waitSLA waits until every case in ids has its case.sla-expired event and its "passed its
// SLA" mail, then checks that there is exactly one of each per case.
func waitSLA(t *testing.T, base string, mb *mailbox, ids, names []string) {
	t.Helper()
	eventually(t, 15*time.Second, func() (bool, string) {
		ev := slaEventCases(t, base)
		for i, id := range ids {
			if ev[id] == 0 || len(mb.matching("ada@example.com", names[i]+" passed its SLA")) == 0 {
				return false, fmt.Sprintf("%s: %d events; %s", names[i], ev[id], mb.summary())
			}
		}
		return true, ""
	})
	ev := slaEventCases(t, base)
	for i, id := range ids {
		if ev[id] != 1 {
			t.Fatalf("%s: %d case.sla-expired events, want 1", names[i], ev[id])
		}
		got := mb.matching("ada@example.com", names[i]+" passed its SLA")
		if len(got) != 1 {
			t.Fatalf("%s: %d SLA mails, want 1; %s", names[i], len(got), mb.summary())
		}
		checkMail(t, got[0], "ada@example.com", "[Docket] "+names[i]+" passed its SLA",
			"Case "+names[i]+", assigned to you, passed its SLA deadline without being resolved.")
	}
}

// TestSLABreachEmail: a case with a one-second SLA breaches within a few seconds: one
// case.sla-expired event and one mail to the assignee, and later checks add nothing.
func TestSLABreachEmail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		mb := newMailbox(t)
		s := startServerEnv(t, dbURL, map[string]string{"DOCKET_SMTP_URL": mb.url(), "DOCKET_JOB_POLL_INTERVAL": "20ms",
			"DOCKET_SLA_CHECK_INTERVAL": "100ms"})
		ada, tmpl := slaTemplate(t, s.base)
		id, name := slaCase(t, s.base, tmpl)
		waitSLA(t, s.base, mb, []string{id}, []string{name})
		// A second case that breaches later proves that checks ran after the first breach.
		id2, name2 := slaCase(t, s.base, tmpl)
		waitSLA(t, s.base, mb, []string{id, id2}, []string{name, name2})
		kinds := map[string]int{}
		for _, n := range allEmailed(t, s.base, ada, 4) {
			kinds[attr(n, "kind").(string)]++
		}
		if kinds["case-sla-expired"] != 2 || kinds["case-assigned"] != 2 {
			t.Fatalf("notification kinds %v", kinds)
		}
	})
}

// TestSLABreachTwoProcesses: two processes check SLAs on one database every 100 ms; each
// breach still gives exactly one event and one mail.
func TestSLABreachTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		mb := newMailbox(t)
		env := []string{"DOCKET_SMTP_URL=" + mb.url(), "DOCKET_JOB_POLL_INTERVAL=20ms", "DOCKET_SLA_CHECK_INTERVAL=100ms"}
		a := startProcessEnv(t, dbURL, env...)
		b := startProcessEnv(t, dbURL, env...)
		_, tmpl := slaTemplate(t, a.base)
		var ids, names []string
		for i := range 10 {
			id, name := slaCase(t, []string{a.base, b.base}[i%2], tmpl)
			ids, names = append(ids, id), append(names, name)
		}
		waitSLA(t, a.base, mb, ids, names)
		id, name := slaCase(t, b.base, tmpl)
		waitSLA(t, a.base, mb, append(ids, id), append(names, name))
		if n := len(mb.matching("ada@example.com", "passed its SLA")); n != 11 {
			t.Fatalf("%d SLA mails, want 11", n)
		}
	})
}
