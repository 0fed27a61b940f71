// Package notify decides who is notified of what (the event handler in rules.go) and sends
// notification emails over SMTP, as River jobs, so that a mail server that is down delays
// mail without losing it or slowing any request.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// Mailer sends mail through one SMTP server, described by a URL:
// smtp://user:pass@host:587?from=docket@example.com requires STARTTLS (except to a server
// on loopback, or with tls=none); smtps://host:465 uses TLS from the start.
type Mailer struct {
	addr     string
	implicit bool
	user     string
	pass     string
	from     string
	host     string
	// plain skips STARTTLS: only for a server on loopback, or when the URL says tls=none.
	plain bool
}

// ParseURL builds a mailer from DOCKET_SMTP_URL.
func ParseURL(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("DOCKET_SMTP_URL must look like smtp://user:pass@host:587?from=docket@example.com")
	}
	m := &Mailer{addr: u.Host, implicit: u.Scheme == "smtps", host: u.Hostname(), from: u.Query().Get("from")}
	m.plain = !m.implicit && (isLoopback(m.host) || u.Query().Get("tls") == "none")
	if u.Port() == "" {
		m.addr = net.JoinHostPort(u.Hostname(), map[bool]string{true: "465", false: "587"}[m.implicit])
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	if m.from == "" {
		m.from = "docket@" + m.host
	}
	if !docket.ValidEmail(m.from) {
		return nil, fmt.Errorf("DOCKET_SMTP_URL: from=%q is not an email address", m.from)
	}
	return m, nil
}

// sendTimeout bounds one message's whole SMTP exchange.
const sendTimeout = 30 * time.Second

// Send delivers one message. It returns when ctx ends (or after sendTimeout), whatever
// the server does: go-smtp replaces connection deadlines with its own, minutes long, on
// every command, so the connection is closed when ctx ends instead. A stalled server must
// not hold a job past River's job timeout, or the job is rescued and the mail sent twice.
func (m *Mailer) Send(ctx context.Context, to, subject, body string) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	err := m.send(ctx, to, subject, body)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", err, ctx.Err())
	}
	return err
}

func (m *Mailer) send(ctx context.Context, to, subject, body string) error {
	c, err := m.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if m.user != "" {
		if _, tlsOn := c.TLSConnectionState(); !tlsOn && !isLoopback(m.host) {
			return errors.New("smtp: refusing to send credentials without TLS")
		}
		if err := c.Auth(sasl.NewPlainClient("", m.user, m.pass)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.SendMail(m.from, []string{to}, bytes.NewReader(m.message(to, subject, body))); err != nil {
		return fmt.Errorf("smtp send: %w", err)
	}
	return c.Quit()
}

func (m *Mailer) dial(ctx context.Context) (*smtp.Client, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return nil, fmt.Errorf("smtp connect: %w", err)
	}
	raw := conn
	context.AfterFunc(ctx, func() { raw.Close() })
	if m.implicit {
		conn = tls.Client(conn, &tls.Config{ServerName: m.host})
	}
	if !m.implicit && !m.plain {
		c, err := smtp.NewClientStartTLS(conn, &tls.Config{ServerName: m.host})
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("smtp starttls: %w", err)
		}
		return c, nil
	}
	c := smtp.NewClient(conn)
	if err := c.Hello("localhost"); err != nil {
		c.Close()
		return nil, fmt.Errorf("smtp hello: %w", err)
	}
	return c, nil
}

func (m *Mailer) message(to, subject, body string) []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", m.from)
	h("To", to)
	h("Subject", mime.QEncoding.Encode("utf-8", subject))
	h("Date", time.Now().UTC().Format(time.RFC1123Z))
	h("Message-ID", "<"+docket.NewID("msg")+"@"+m.host+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	// Every line ends in CRLF: a bare CR or LF is refused by strict servers (SMTP smuggling).
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	b.WriteString("\r\n")
	return b.Bytes()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Store is what the email worker needs.
type Store interface {
	FindNotification(ctx context.Context, id string) (*docket.Notification, error)
	MarkNotificationEmailed(ctx context.Context, id string) error
}

// Worker is the River worker that emails notifications.
type Worker struct {
	river.WorkerDefaults[jobs.SendEmail]
	store     Store
	mailer    *Mailer // nil: no SMTP server configured
	retryBase time.Duration
	log       *slog.Logger
}

// NewWorker returns the email worker; with a nil mailer it records nothing and drops mail.
// Failed sends are retried after retryBase (default 10 s), doubling up to an hour.
func NewWorker(s Store, m *Mailer, retryBase time.Duration, log *slog.Logger) *Worker {
	if retryBase <= 0 {
		retryBase = 10 * time.Second
	}
	return &Worker{store: s, mailer: m, retryBase: retryBase, log: log}
}

// NextRetry backs off from retryBase, doubling, at most an hour between tries.
func (w *Worker) NextRetry(job *river.Job[jobs.SendEmail]) time.Time {
	wait := w.retryBase
	for i := 1; i < job.Attempt && wait < time.Hour; i++ {
		wait *= 2 // doubling step by step, so that a large attempt cannot overflow
	}
	return time.Now().Add(min(wait, time.Hour))
}

// Work sends one notification's email.
func (w *Worker) Work(ctx context.Context, job *river.Job[jobs.SendEmail]) error {
	if w.mailer == nil {
		return nil
	}
	n, err := w.store.FindNotification(ctx, job.Args.NotificationID)
	if docket.ErrorCode(err) == docket.ENotFound {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if n.EmailedAt != nil {
		return nil
	}
	if n.Email == "" || n.Subject == "" {
		return nil // erased by a redaction before it was sent: nothing may go out
	}
	if err := w.mailer.Send(ctx, n.Email, n.Subject, n.Body); err != nil {
		return err
	}
	return w.store.MarkNotificationEmailed(ctx, n.ID)
}
