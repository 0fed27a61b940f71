package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/docket-hq/docket/internal/jobs"
)

// smtpServer is a real SMTP server (emersion/go-smtp) on loopback that records what it
// receives.
type smtpServer struct {
	addr string
	srv  *smtp.Server
	// user and pass, when set, are the only credentials AUTH PLAIN accepts.
	user, pass string
	// stall, when set, makes DATA wait until it is closed (a server that hangs).
	stall chan struct{}

	mu    sync.Mutex
	mails []received
	auths []string // usernames that authenticated
}

type received struct {
	from string
	to   []string
	data []byte
}

func startSMTP(t *testing.T, configure func(*smtpServer)) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	if configure != nil {
		configure(s)
	}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() {
		if s.stall != nil {
			select {
			case <-s.stall:
			default:
				close(s.stall)
			}
		}
		s.srv.Close()
	})
	return s
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.mails...)
}

type smtpSession struct {
	srv  *smtpServer
	auth bool
	cur  received
}

func (x *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.srv.user || pass != x.srv.pass {
			return errors.New("invalid username or password")
		}
		x.auth = true
		x.srv.mu.Lock()
		x.srv.auths = append(x.srv.auths, user)
		x.srv.mu.Unlock()
		return nil
	}), nil
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if x.srv.user != "" && !x.auth {
		return smtp.ErrAuthRequired
	}
	x.cur = received{from: from}
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.cur.to = append(x.cur.to, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if x.srv.stall != nil {
		<-x.srv.stall
	}
	x.cur.data = b
	x.srv.mu.Lock()
	x.srv.mails = append(x.srv.mails, x.cur)
	x.srv.mu.Unlock()
	return nil
}

func (x *smtpSession) Reset()        { x.cur = received{} }
func (x *smtpSession) Logout() error { return nil }

func TestParseURL(t *testing.T) {
	tests := []struct {
		url                     string
		addr, from, user, pass  string
		implicit, plain, failed bool
	}{
		{url: "smtp://mail.example.com?from=docket@example.com", addr: "mail.example.com:587", from: "docket@example.com"},
		{url: "smtp://mail.example.com", addr: "mail.example.com:587", from: "docket@mail.example.com"},
		{url: "smtps://mail.example.com", addr: "mail.example.com:465", from: "docket@mail.example.com", implicit: true},
		{url: "smtps://mail.example.com:2465?from=a@b.co", addr: "mail.example.com:2465", from: "a@b.co", implicit: true},
		{url: "smtp://mail.example.com:25?tls=none&from=a@b.co", addr: "mail.example.com:25", from: "a@b.co", plain: true},
		{url: "smtp://127.0.0.1:2525?from=docket@example.com", addr: "127.0.0.1:2525", from: "docket@example.com", plain: true},
		{url: "smtp://127.0.0.1:2525", addr: "127.0.0.1:2525", from: "docket@127.0.0.1", plain: true},
		{url: "smtp://localhost:1025?from=a@b.co", addr: "localhost:1025", from: "a@b.co", plain: true},
		{url: "smtp://[::1]:2525?from=a@b.co", addr: "[::1]:2525", from: "a@b.co", plain: true},
		{url: "smtp://[::1]?from=a@b.co", addr: "[::1]:587", from: "a@b.co", plain: true},
		{url: "smtps://127.0.0.1:465?from=a@b.co", addr: "127.0.0.1:465", from: "a@b.co", implicit: true},
		{url: "smtp://alerts:p%40ss%3Aw0rd@mail.example.com:587?from=a@b.co", addr: "mail.example.com:587", from: "a@b.co",
			user: "alerts", pass: "p@ss:w0rd"},
		{url: "smtp://alerts@mail.example.com?from=a@b.co", addr: "mail.example.com:587", from: "a@b.co", user: "alerts"},
		{url: "smtp://mail.example.com?from=Docket%20%3Cdocket@example.com%3E", failed: true}, // a display name is not an address
		{url: "smtp://mail.example.com?from=nobody", failed: true},
		{url: "smtp://mail.example.com?from=a@b.co%0D%0ABcc:%20x@evil.example", failed: true}, // header injection
		{url: "smtp://localhost:1025", failed: true},                                          // docket@localhost is no full address
		{url: "", failed: true},
		{url: "mail.example.com:587", failed: true},
		{url: "http://mail.example.com", failed: true},
		{url: "smtp://", failed: true},
		{url: "smtp:///relay?from=a@b.co", failed: true},
		{url: "smtp://mail.example.com:port", failed: true},
		{url: "smtp://mail example.com", failed: true},
		{url: "SMTP://mail.example.com?from=a@b.co", addr: "mail.example.com:587", from: "a@b.co"}, // schemes are case-insensitive
	}
	for _, tt := range tests {
		m, err := ParseURL(tt.url)
		if tt.failed {
			if err == nil {
				t.Errorf("ParseURL(%q) = %+v, want an error", tt.url, m)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.url, err)
			continue
		}
		if m.addr != tt.addr || m.from != tt.from || m.user != tt.user || m.pass != tt.pass || m.implicit != tt.implicit || m.plain != tt.plain {
			t.Errorf("ParseURL(%q) = addr %q from %q user %q pass %q implicit %v plain %v; want %q %q %q %q %v %v", tt.url,
				m.addr, m.from, m.user, m.pass, m.implicit, m.plain, tt.addr, tt.from, tt.user, tt.pass, tt.implicit, tt.plain)
		}
	}
	// Errors never echo the password.
	if _, err := ParseURL("smtp://u:hunter2@mail.example.com?from=bad"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v", err)
	}
}

// parse reads a received message, failing on anything but CRLF line ends.
func parse(t *testing.T, data []byte) *mail.Message {
	t.Helper()
	if i := bytes.IndexFunc(data, func(r rune) bool { return r == '\n' || r == '\r' }); i < 0 {
		t.Fatalf("message without line ends: %q", data)
	}
	for i, c := range data {
		if c == '\n' && (i == 0 || data[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d: %q", i, data)
		}
		if c == '\r' && (i+1 >= len(data) || data[i+1] != '\n') {
			t.Fatalf("bare CR at byte %d: %q", i, data)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	return msg
}

func TestSendLoopback(t *testing.T) {
	srv := startSMTP(t, nil)
	m, err := ParseURL("smtp://" + srv.addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	body := "Case KYC-1 is now assigned to you.\nSecond line\r\nThird line\rFourth line\n.\n..leading dots"
	if err := m.Send(context.Background(), "ada@example.com", "[Docket] KYC-1 is assigned to you", body); err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 || got[0].from != "docket@example.com" || len(got[0].to) != 1 || got[0].to[0] != "ada@example.com" {
		t.Fatalf("received %+v", got)
	}
	msg := parse(t, got[0].data)
	for k, want := range map[string]string{
		"From": "docket@example.com", "To": "ada@example.com", "Subject": "[Docket] KYC-1 is assigned to you",
		"Mime-Version": "1.0", "Content-Type": "text/plain; charset=utf-8",
	} {
		if v := msg.Header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if id := msg.Header.Get("Message-Id"); !strings.HasPrefix(id, "<msg_") || !strings.HasSuffix(id, "@127.0.0.1>") {
		t.Errorf("Message-ID %q", id)
	}
	b, _ := io.ReadAll(msg.Body)
	want := "Case KYC-1 is now assigned to you.\r\nSecond line\r\nThird line\r\nFourth line\r\n.\r\n..leading dots\r\n"
	if string(b) != want {
		t.Errorf("body %q, want %q", b, want)
	}
}

func TestSendSubjectEncoding(t *testing.T) {
	srv := startSMTP(t, nil)
	m, err := ParseURL("smtp://" + srv.addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	subject := "[Docket] Zoë mentioned you on KYC-7 — “urgent”"
	if err := m.Send(context.Background(), "zoe@example.com", subject, "Grüße"); err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("received %d messages", len(got))
	}
	msg := parse(t, got[0].data)
	raw := msg.Header.Get("Subject")
	for _, r := range raw {
		if r > 127 {
			t.Fatalf("Subject header is not ASCII: %q", raw)
		}
	}
	if !strings.Contains(raw, "=?utf-8?q?") {
		t.Fatalf("Subject %q is not Q-encoded", raw)
	}
	decoded, err := new(mime.WordDecoder).DecodeHeader(raw)
	if err != nil || decoded != subject {
		t.Fatalf("Subject decodes to %q (%v), want %q", decoded, err, subject)
	}
	if b, _ := io.ReadAll(msg.Body); string(b) != "Grüße\r\n" {
		t.Fatalf("body %q", b)
	}
	// An ASCII subject is left as it is.
	if h := string(m.message("a@b.co", "Plain subject", "x")); !strings.Contains(h, "\r\nSubject: Plain subject\r\n") {
		t.Fatalf("message %q", h)
	}
	// A subject cannot inject headers.
	h := string(m.message("a@b.co", "x\r\nBcc: evil@example.com", "x"))
	if strings.Contains(h, "\r\nBcc:") {
		t.Fatalf("subject injected a header: %q", h)
	}
}

func TestSendAuthOnLoopback(t *testing.T) {
	srv := startSMTP(t, func(s *smtpServer) { s.user, s.pass = "alerts", "p@ss:w0rd" })
	m, err := ParseURL("smtp://alerts:p%40ss%3Aw0rd@" + srv.addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), "ada@example.com", "hello", "body"); err != nil {
		t.Fatalf("send with credentials on loopback: %v", err)
	}
	srv.mu.Lock()
	auths := append([]string(nil), srv.auths...)
	srv.mu.Unlock()
	if len(auths) != 1 || auths[0] != "alerts" || len(srv.received()) != 1 {
		t.Fatalf("auths %v, received %d", auths, len(srv.received()))
	}

	bad, err := ParseURL("smtp://alerts:wrong@" + srv.addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Send(context.Background(), "ada@example.com", "hello", "body"); err == nil || !strings.Contains(err.Error(), "auth") {
		t.Fatalf("wrong password: %v, want an auth error", err)
	}
	anon, err := ParseURL("smtp://" + srv.addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := anon.Send(context.Background(), "ada@example.com", "hello", "body"); err == nil {
		t.Fatal("a server that requires AUTH accepted mail without it")
	}
	if n := len(srv.received()); n != 1 {
		t.Fatalf("received %d messages, want 1", n)
	}
}

// TestSendRefusesPlainCredentials: with tls=none to a server that is not on loopback,
// credentials are not sent (the server here is on loopback, but the mailer is told the
// host is mail.example.com, as it would be through a tunnel or a proxy).
func TestSendRefusesPlainCredentials(t *testing.T) {
	srv := startSMTP(t, func(s *smtpServer) { s.user, s.pass = "alerts", "secret" })
	m, err := ParseURL("smtp://alerts:secret@mail.example.com:25?tls=none&from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	m.addr = srv.addr
	err = m.Send(context.Background(), "ada@example.com", "hello", "body")
	if err == nil || !strings.Contains(err.Error(), "without TLS") {
		t.Fatalf("Send = %v, want a refusal to send credentials without TLS", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.auths) != 0 {
		t.Fatalf("credentials were sent: %v", srv.auths)
	}
}

// TestSendServerDown: nothing listens; Send fails at once (the job will retry).
func TestSendServerDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	m, err := ParseURL("smtp://" + addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := m.Send(context.Background(), "ada@example.com", "hello", "body"); err == nil || !strings.Contains(err.Error(), "connect") {
		t.Fatalf("Send to a closed port: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Send to a closed port took %v", d)
	}
}

// TestSendStalledServer: a server that accepts DATA and never answers must not hold Send
// past its context. go-smtp sets its own deadlines (minutes) on every command, so the
// mailer has to stop on ctx itself; otherwise a job outlives River's job timeout, is
// rescued as stuck, and the mail goes out twice.
func TestSendStalledServer(t *testing.T) {
	srv := startSMTP(t, func(s *smtpServer) { s.stall = make(chan struct{}) })
	m, err := ParseURL("smtp://" + srv.addr + "?from=docket@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- m.Send(ctx, "ada@example.com", "hello", "body") }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Send to a stalled server succeeded")
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Send = %v, want it to report the deadline", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Send to a stalled server still running 5 s after its 300 ms context ended")
	}
}

func TestNextRetry(t *testing.T) {
	w := NewWorker(nil, nil, 200*time.Millisecond, nil)
	for _, tt := range []struct {
		attempt int
		want    time.Duration
	}{{0, 200 * time.Millisecond}, {1, 200 * time.Millisecond}, {2, 400 * time.Millisecond}, {4, 1600 * time.Millisecond},
		{20, time.Hour}, {60, time.Hour}} {
		job := &river.Job[jobs.SendEmail]{JobRow: &rivertype.JobRow{Attempt: tt.attempt}}
		got := time.Until(w.NextRetry(job))
		if got > tt.want || got < tt.want-time.Second {
			t.Errorf("attempt %d: next retry in %v, want %v", tt.attempt, got, tt.want)
		}
	}
	if d := NewWorker(nil, nil, 0, nil).retryBase; d != 10*time.Second {
		t.Errorf("default retry base %v", d)
	}
}
