package ui

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/docket-hq/docket"
)

// The case page (/cases/{id}) shows one case with everything a reviewer reads beside it,
// and every action on it posts to /cases/{id}/...: each is a handler in its own file
// (case_status.go, case_assign.go, ...) that checks Principal.Can, calls the store
// method the API calls, and either redirects back with a flash message or, when the
// change is refused, shows the page again with the message beside the input and what
// the user typed still in it.

// caseCtx is what every request about a case starts from: who asks, what they may not
// see, and the case itself.
type caseCtx struct {
	p   docket.Principal
	vis docket.Visibility
	c   *docket.Case
	// run is the case action run to show the result of (?run=), if any.
	run *runResult
}

// caseFor loads the case named in the path for the signed-in user. A case of a template
// the user's role may not see is not found, exactly as a case that does not exist.
func (h *Handler) caseFor(r *http.Request) (*caseCtx, error) {
	a, err := h.access(r)
	if err != nil {
		return nil, err
	}
	if !a.P.Can(docket.PermReadCases) {
		return nil, refusal(a.P, docket.PermReadCases)
	}
	c, err := h.visibleCase(r, a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return &caseCtx{p: a.P, vis: a.Vis, c: c}, nil
}

// visibleCase returns the case, or a not-found error if a's user may not see it.
func (h *Handler) visibleCase(r *http.Request, a *access, id string) (*docket.Case, error) {
	c, err := h.store.FindCase(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if a.Vis.Hides(c.TemplateID) {
		return nil, docket.NotFound("case", id)
	}
	return c, nil
}

// need refuses the request (403) unless the user may do what perm names. Pages hide the
// controls a role may not use; this is what refuses a forged POST.
func (cc *caseCtx) need(perm docket.Permission) error {
	if cc.p.Can(perm) {
		return nil
	}
	return refusal(cc.p, perm)
}

// refusal is the 403 error for a missing permission, worded as a sentence.
func refusal(p docket.Principal, perm docket.Permission) error {
	return docket.Errorf(docket.EForbidden, "%s.", sentence(p.Refusal(perm)))
}

// sentence capitalises the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// caseShow serves GET /cases/{id}.
func (h *Handler) caseShow(w http.ResponseWriter, r *http.Request) error {
	// The run a case action started is read before the case, so that the page never
	// shows a finished run beside the case as it was before the run changed it.
	run, err := h.runResult(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	cc.run = run
	return h.renderCase(w, r, cc, http.StatusOK, &View{})
}

// renderCase shows the case page with v's form values and errors (from a refused
// change) over the case as it is now.
func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, cc *caseCtx, status int, v *View) error {
	d, err := h.casePage(r, cc, v)
	if err != nil {
		return err
	}
	v.Title, v.Nav, v.Data = d.Case.Name, "cases", d
	return h.render(w, r, status, "case_show", v)
}

// caseDone ends a successful change: back to the case page (at fragment, if any) with a
// flash message, so that reloading the page does not post the form again. The page keeps
// the queue it was opened from (its forms post it as "queue"), and query adds to the
// address (a case action's run).
func (h *Handler) caseDone(w http.ResponseWriter, r *http.Request, caseID, msg string, query url.Values, fragment string) error {
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	if query == nil {
		query = url.Values{}
	}
	if q := r.PostFormValue("queue"); docket.ValidID(docket.PrefixQueue, q) {
		query.Set("queue", q)
	}
	target := "/cases/" + url.PathEscape(caseID)
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	http.Redirect(w, r, target+fragment, http.StatusSeeOther)
	return nil
}

// caseRefused shows the page again after the store refused a change: a message about an
// input goes beside it (inputs maps the domain's field paths, such as "fields.amount"
// or "object-ids", to the names of the form's inputs), any other message goes at the top
// of the form named formKey, and form keeps what the user typed. Errors that are not
// about the input (not found, forbidden, internal) are passed on to be shown as a page.
func (h *Handler) caseRefused(w http.ResponseWriter, r *http.Request, cc *caseCtx, err error, formKey string, form map[string]string, inputs map[string]string) error {
	var status int
	switch docket.ErrorCode(err) {
	case docket.EInvalid:
		status = http.StatusUnprocessableEntity
	case docket.EConflict:
		status = http.StatusConflict
	case docket.EBadRequest:
		status = http.StatusBadRequest
	default:
		return err
	}
	field, msg := docket.ErrorField(err)
	key := inputFor(field, inputs)
	if key == "" {
		key = formKey
	}
	// The case may have changed since caseFor read it (a conflict); show it as it is.
	if c, ferr := h.store.FindCase(r.Context(), cc.c.ID); ferr == nil {
		cc.c = c
	}
	if cc.c.RedactedAt != nil {
		key = "" // a redacted case shows no forms: the message goes at the top
	}
	return h.renderCase(w, r, cc, status, &View{Form: form, Errors: map[string]string{key: sentence(msg)}})
}

// inputFor returns the input that shows errors about the domain field path field: the
// input whose path is field itself or the longest one that contains it ("object-ids"
// for "object-ids[2]"), or "" if none does.
func inputFor(field string, inputs map[string]string) string {
	best, name := -1, ""
	for path, input := range inputs {
		if field == path || strings.HasPrefix(field, path+".") || strings.HasPrefix(field, path+"[") {
			if len(path) > best {
				best, name = len(path), input
			}
		}
	}
	return name
}
