package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// The new case page (/cases/new): pick a template, then fill in its fields. It creates
// the case with the store call of POST /api/v1/cases (its assignment policy, SLA and
// notifications apply), and shows the store's message beside the field it is about.

// caseNewPage is what templates/case_new.html shows.
type caseNewPage struct {
	// Templates are those the user may open cases of: active, and not hidden from them.
	Templates []*docket.CaseTemplate
	// Template is the chosen one (nil until chosen); Fields its inputs.
	Template *docket.CaseTemplate
	Fields   []fieldView
}

// caseNew serves GET /cases/new and GET /cases/new?template={id}.
func (h *Handler) caseNew(w http.ResponseWriter, r *http.Request) error {
	a, d, err := h.caseNewStart(r)
	if err != nil {
		return err
	}
	v := &View{Errors: map[string]string{}}
	if id := r.URL.Query().Get("template"); id != "" {
		if d.Template = caseNewTemplate(a, id); d.Template == nil {
			v.Errors["template"] = "Choose one of these templates."
			return h.renderCaseNew(w, r, http.StatusNotFound, d, v)
		}
	}
	return h.renderCaseNew(w, r, http.StatusOK, d, v)
}

// caseCreate serves POST /cases/new.
func (h *Handler) caseCreate(w http.ResponseWriter, r *http.Request) error {
	a, d, err := h.caseNewStart(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "the form could not be read")
	}
	if d.Template = caseNewTemplate(a, r.PostForm.Get("template")); d.Template == nil {
		return h.renderCaseNew(w, r, http.StatusUnprocessableEntity, d, &View{Errors: map[string]string{"template": "Choose one of these templates."}})
	}
	t := d.Template
	vals, typed, errs := readSchemaForm(r, t.FieldSchemas, "fields", "", false)
	if len(errs) > 0 {
		return h.renderCaseNew(w, r, http.StatusUnprocessableEntity, d, &View{Form: typed, Errors: errs})
	}
	c, err := h.store.CreateCase(r.Context(), a.P.Actor(), docket.NewCase{TemplateID: t.ID, Fields: vals})
	if err != nil {
		switch docket.ErrorCode(err) {
		case docket.EInvalid, docket.EConflict, docket.EBadRequest:
		default:
			return err
		}
		field, msg := docket.ErrorField(err)
		inputs := schemaInputNames(t.FieldSchemas, "fields", "")
		inputs["case-template-id"] = "template"
		return h.renderCaseNew(w, r, http.StatusUnprocessableEntity, d, &View{Form: typed, Errors: map[string]string{inputFor(field, inputs): sentence(msg)}})
	}
	h.setFlash(w, r, secretFrom(r.Context()), "Case "+c.Name+" created.")
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.ID), http.StatusSeeOther)
	return nil
}

// caseNewStart checks that the user may create cases and lists the templates they may
// create them of.
func (h *Handler) caseNewStart(r *http.Request) (*access, *caseNewPage, error) {
	a, err := h.access(r)
	if err != nil {
		return nil, nil, err
	}
	if !a.P.Can(docket.PermWorkCases) {
		return nil, nil, docket.Errorf(docket.EForbidden, "%s", a.P.Refusal(docket.PermWorkCases))
	}
	return a, &caseNewPage{Templates: caseNewTemplates(a)}, nil
}

func caseNewTemplates(a *access) []*docket.CaseTemplate {
	var out []*docket.CaseTemplate
	for _, t := range a.Templates {
		if t.Status == docket.TemplateActive && !a.Vis.Hides(t.ID) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(x, y *docket.CaseTemplate) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), strings.Compare(x.ID, y.ID))
	})
	return out
}

// caseNewTemplate returns the template with the id if the user may open cases of it.
func caseNewTemplate(a *access, id string) *docket.CaseTemplate {
	t := a.Templates[id]
	if t == nil || t.Status != docket.TemplateActive || a.Vis.Hides(t.ID) {
		return nil
	}
	return t
}

func (h *Handler) renderCaseNew(w http.ResponseWriter, r *http.Request, status int, d *caseNewPage, v *View) error {
	if d.Template != nil {
		if v.Form == nil {
			v.Form = map[string]string{}
		}
		d.Fields = schemaInputs(d.Template.FieldSchemas, "fields", "", nil, v, true)
	}
	v.Title, v.Nav, v.Data = "New case", "cases", d
	if len(v.Errors) > 0 && v.Errors[""] == "" {
		v.Errors[""] = "The case was not created: correct the input marked below."
	}
	return h.render(w, r, status, "case_new", v)
}
