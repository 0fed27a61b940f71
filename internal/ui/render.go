package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

//go:embed templates
var templateFS embed.FS

// View is what every template receives. Handlers set Title, Nav, Form, Errors and Data;
// render fills in the user, the CSRF token and the flash message.
type View struct {
	Title string
	// Nav names the header link to mark as current: "home", "cases", "queues", "notifications".
	Nav  string
	User *docket.User
	// CSRF is the token every form posts as csrf_token.
	CSRF  string
	Flash string
	// Unread is the count shown on the notifications badge (0 hides it; above 99 it
	// shows "99+").
	Unread int
	// Admin shows the header's Admin link (the user may administer something).
	Admin bool
	// SARs shows the header's SARs link (the user has SAR access).
	SARs bool
	// Analytics shows the header's Analytics link (managers and admins).
	Analytics bool
	// Form holds submitted values to show again; Errors holds messages keyed by field
	// name, with the key "" for the form as a whole.
	Form   map[string]string
	Errors map[string]string
	Data   any
}

// templates holds one template set per page: the layout, the partials, and the page.
type templates map[string]*template.Template

var funcs = template.FuncMap{
	"asset":   assetURL,
	"time":    func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"dur":     humanDuration,
}

// parseTemplates reads templates/: layout.html and partials/*.html go into every set, and
// each other file is one page, named after its file.
func parseTemplates() (templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes the page named name (templates/<name>.html) inside the layout. It renders
// to a buffer first, so that a template error becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v *View) error {
	t, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	secret := secretFrom(r.Context())
	v.User = auth.UserFrom(r.Context())
	v.CSRF = auth.CSRFToken(secret)
	if v.User != nil {
		v.Unread = h.unreadBadge(r)
		v.Admin = canAdmin(docket.UserPrincipal(v.User))
		v.SARs = docket.UserPrincipal(v.User).Can(docket.PermReadSARs)
		v.Analytics = docket.UserPrincipal(v.User).Can(docket.PermReadAnalytics)
	}
	if v.Flash == "" {
		v.Flash = h.takeFlash(w, r, secret)
	}
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// errorPage renders a message page; if even that fails, it falls back to plain text.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	v := &View{Title: title, Data: message}
	if err := h.render(w, r, status, "error", v); err != nil {
		h.log.ErrorContext(r.Context(), "render error page", "error", err)
		http.Error(w, title+": "+message, status)
	}
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) error {
	h.errorPage(w, r, http.StatusNotFound, "Not found", "There is no page at this address.")
	return nil
}

// Flash messages survive one redirect in a cookie, signed with the browser's CSRF secret
// so that no one else can put words on a Docket page.
const flashCookie = "docket_flash"

// setFlash shows msg on the next page this browser loads. secret is the CSRF secret that
// page will have (after sign-in, the new session token).
func (h *Handler) setFlash(w http.ResponseWriter, r *http.Request, secret, msg string) {
	v := base64url(msg) + "." + auth.MAC(secret, "flash", msg)
	http.SetCookie(w, h.auth.NewCookie(r, flashCookie, v, time.Time{}))
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request, secret string) string {
	raw := h.auth.CookieValue(r, flashCookie)
	if raw == "" {
		return ""
	}
	c := h.auth.NewCookie(r, flashCookie, "", time.Unix(0, 0))
	c.MaxAge = -1
	http.SetCookie(w, c)
	enc, mac, _ := strings.Cut(raw, ".")
	msg, ok := unbase64url(enc)
	if !ok || secret == "" || !auth.EqualMAC(mac, auth.MAC(secret, "flash", msg)) {
		return ""
	}
	return msg
}
