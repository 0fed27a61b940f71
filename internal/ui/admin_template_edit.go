package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// tmplPage is what templates/admin_template.html shows: the form of a new template
// (Template nil) or of an existing one.
type tmplPage struct {
	Template *docket.CaseTemplate
	Form     *tmplForm
	Statuses []tmplStatusView
	Fields   []tmplFieldView
	// Members offers every user for the assignment policy, its members first in turn
	// order; Roles offers every role for visible-to-roles.
	Members     []choice
	Roles       []choice
	StatusTypes []string
	// Resolutions names the end statuses of the form, as the API's resolutions.
	Resolutions string
	FieldTypes  []string
	SLAUnits    []choice
	AssignTypes []string
	// Action is where the form posts.
	Action string
}

// choice is one checkbox or option: its value, its label, and whether it is chosen.
type choice struct {
	Value, Label string
	Checked      bool
}

// tmplStatusView is a status row: Index numbers its inputs, N counts from 1 for labels;
// Up and Down offer the move buttons (a blank row has none, nor does a row next to one).
type tmplStatusView struct {
	tmplStatusRow
	Index, N int
	Up, Down bool
}

type tmplFieldView struct {
	tmplFieldRow
	Index, N int
	Up, Down bool
	Roles    []choice
}

// adminTemplateNew serves GET /admin/templates/new: the form with the default statuses.
func (h *Handler) adminTemplateNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageTemplates); err != nil {
		return err
	}
	t := &docket.CaseTemplate{}
	t.ApplyDefaults()
	return h.renderTmpl(w, r, http.StatusOK, nil, tmplFormOf(t), &View{})
}

// adminTemplateShow serves GET /admin/templates/{id}: the template's form.
func (h *Handler) adminTemplateShow(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageTemplates); err != nil {
		return err
	}
	t, err := h.store.FindTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.renderTmpl(w, r, http.StatusOK, t, tmplFormOf(t), &View{})
}

// adminTemplateCreate serves POST /admin/templates/new (CreateTemplate, as POST
// /api/v1/case-templates).
func (h *Handler) adminTemplateCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageTemplates)
	if err != nil {
		return err
	}
	return h.saveTmpl(w, r, a, nil)
}

// adminTemplateUpdate serves POST /admin/templates/{id} (UpdateTemplate, as PATCH
// /api/v1/case-templates/{id} with every attribute but the key).
func (h *Handler) adminTemplateUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageTemplates)
	if err != nil {
		return err
	}
	t, err := h.store.FindTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.saveTmpl(w, r, a, t)
}

// saveTmpl handles a post of the template form: a move or "more rows" button shows the
// form again as posted (nothing is saved), anything else saves. t is nil for a new
// template.
func (h *Handler) saveTmpl(w http.ResponseWriter, r *http.Request, a *access, t *docket.CaseTemplate) error {
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "the form could not be read")
	}
	f := readTmplForm(r)
	if t != nil {
		f.Key = t.Key // a template's key cannot change: it names its cases
	}
	if spec := r.PostForm.Get("move"); spec != "" {
		v := &View{}
		if f.move(spec) {
			v.Flash = "Moved. Save to keep the new order."
		}
		f.pad(0)
		return h.renderTmpl(w, r, http.StatusOK, t, f, v)
	}
	if list := r.PostForm.Get("more"); list != "" {
		f.pad(tmplMoreRows, list)
		return h.renderTmpl(w, r, http.StatusOK, t, f, &View{})
	}
	in, errs := f.template()
	if len(errs) > 0 {
		f.pad(0)
		errs[""] = "Nothing was saved: correct the inputs marked below."
		return h.renderTmpl(w, r, http.StatusUnprocessableEntity, t, f, &View{Errors: errs})
	}
	saved, err := h.storeTmpl(r.Context(), a, t, in)
	if err != nil {
		return h.tmplRefused(w, r, t, f, in, err)
	}
	msg := "Template “" + saved.Name + "” saved."
	if t == nil {
		msg = "Template “" + saved.Name + "” created."
	}
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	http.Redirect(w, r, "/admin/templates/"+url.PathEscape(saved.ID), http.StatusSeeOther)
	return nil
}

// storeTmpl creates the template, or replaces every attribute of t but its key.
func (h *Handler) storeTmpl(ctx context.Context, a *access, t *docket.CaseTemplate, in *tmplInput) (*docket.CaseTemplate, error) {
	n := &in.t
	if t == nil {
		return n, h.store.CreateTemplate(ctx, a.P.Actor(), n)
	}
	sla := n.SLASeconds
	return h.store.UpdateTemplate(ctx, a.P.Actor(), t.ID, docket.CaseTemplateUpdate{Name: &n.Name, Statuses: &n.Statuses,
		FieldSchemas: &n.FieldSchemas, AssignmentPolicy: &n.AssignmentPolicy, NotificationPolicy: &n.NotificationPolicy,
		SLASeconds: &sla, VisibleToRoles: &n.VisibleToRoles, FourEyesStatuses: &n.FourEyesStatuses, SAR: &n.SAR})
}

// tmplRefused shows the form again with the store's message beside the input its field
// path names. Errors that are not about the input pass on to the error page.
func (h *Handler) tmplRefused(w http.ResponseWriter, r *http.Request, t *docket.CaseTemplate, f *tmplForm, in *tmplInput, err error) error {
	switch docket.ErrorCode(err) {
	case docket.EInvalid, docket.EConflict, docket.EBadRequest:
	default:
		return err
	}
	field, msg := docket.ErrorField(err)
	errs := map[string]string{in.inputFor(field): sentence(msg)}
	if errs[""] == "" {
		errs[""] = "Nothing was saved: correct the input marked below."
	}
	f.pad(0)
	return h.renderTmpl(w, r, http.StatusUnprocessableEntity, t, f, &View{Errors: errs})
}

// renderTmpl shows the template form.
func (h *Handler) renderTmpl(w http.ResponseWriter, r *http.Request, status int, t *docket.CaseTemplate, f *tmplForm, v *View) error {
	users, err := h.tmplUsers(r.Context())
	if err != nil {
		return err
	}
	d := &tmplPage{Template: t, Form: f, Members: memberChoices(users, f.Members), Roles: roleChoices(f.Roles),
		StatusTypes: []string{docket.StatusInitial, docket.StatusIntermediate, docket.StatusEnd},
		FieldTypes:  []string{docket.FieldString, docket.FieldInteger, docket.FieldFloat, docket.FieldBoolean, docket.FieldDate, docket.FieldDatetime, docket.FieldChoices, docket.FieldHash, docket.FieldArray, docket.FieldJSON},
		AssignTypes: []string{docket.AssignManual, docket.AssignRoundRobin, docket.AssignFewestCases, docket.AssignInquiryCreator},
		Action:      "/admin/templates/new"}
	for _, u := range slaUnits {
		d.SLAUnits = append(d.SLAUnits, choice{Value: u.Name, Label: u.Name, Checked: u.Name == f.SLAUnit})
	}
	var ends []string
	for i, s := range f.Statuses {
		if !s.blank() && s.Type == docket.StatusEnd {
			ends = append(ends, s.Name)
		}
		up, down := movable(f.Statuses, i)
		d.Statuses = append(d.Statuses, tmplStatusView{tmplStatusRow: s, Index: i, N: i + 1, Up: up, Down: down})
	}
	d.Resolutions = strings.Join(ends, ", ")
	for i, fr := range f.Fields {
		up, down := movable(f.Fields, i)
		d.Fields = append(d.Fields, tmplFieldView{tmplFieldRow: fr, Index: i, N: i + 1, Up: up, Down: down, Roles: roleChoices(fr.Editable)})
	}
	v.Title, v.Nav, v.Data = "New case template", "admin", d
	if t != nil {
		v.Title, d.Action = "Case template "+t.Name, "/admin/templates/"+url.PathEscape(t.ID)
	}
	return h.render(w, r, status, "admin_template", v)
}

// movable reports whether row i may move up and down: among the rows that are not blank.
func movable[T interface{ blank() bool }](rows []T, i int) (up, down bool) {
	if rows[i].blank() {
		return false, false
	}
	return i > 0 && !rows[i-1].blank(), i+1 < len(rows) && !rows[i+1].blank()
}

// tmplUsers reads every user, for the assignment policy's members.
func (h *Handler) tmplUsers(ctx context.Context) ([]*docket.User, error) {
	return everyPage(func(p docket.Page) ([]*docket.User, docket.PageResult, error) {
		return h.store.ListUsers(ctx, p)
	}, func(u *docket.User) string { return u.ID }, 0)
}

// memberChoices lists the chosen members first, in their order (round robin's turns),
// then everyone else by name.
func memberChoices(users []*docket.User, members []string) []choice {
	byID := map[string]*docket.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	var out []choice
	for _, id := range members {
		label := id // a member the store no longer has: its message names it
		if u := byID[id]; u != nil {
			label = caseListUserName(u) + " (" + u.Email + ")"
		}
		out = append(out, choice{Value: id, Label: label, Checked: true})
	}
	rest := slices.Clone(users)
	slices.SortStableFunc(rest, func(x, y *docket.User) int {
		return strings.Compare(strings.ToLower(caseListUserName(x)), strings.ToLower(caseListUserName(y)))
	})
	for _, u := range rest {
		if !slices.Contains(members, u.ID) {
			out = append(out, choice{Value: u.ID, Label: caseListUserName(u) + " (" + u.Email + ")"})
		}
	}
	return out
}

func roleChoices(chosen []string) []choice {
	out := make([]choice, len(docket.Roles))
	for i, r := range docket.Roles {
		out[i] = choice{Value: r, Label: r, Checked: slices.Contains(chosen, r)}
	}
	return out
}

// adminTemplateArchive serves POST /admin/templates/{id}/archive (ArchiveTemplate, as
// POST /api/v1/case-templates/{id}/archive).
func (h *Handler) adminTemplateArchive(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageTemplates)
	if err != nil {
		return err
	}
	t, err := h.store.ArchiveTemplate(r.Context(), a.P.Actor(), r.PathValue("id"))
	if err != nil {
		return err
	}
	h.setFlash(w, r, secretFrom(r.Context()), "Template “"+t.Name+"” archived: no new case can use it.")
	http.Redirect(w, r, "/admin/templates/"+url.PathEscape(t.ID), http.StatusSeeOther)
	return nil
}
