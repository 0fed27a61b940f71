package ui

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// sarPage is the SAR's page: its form by section with the problems beside the inputs,
// the settings' problems, and the actions its status allows.
type sarPage struct {
	SAR              *docket.SAR
	Case             *docket.Case
	Sections         []sarSection
	SettingsProblems []string
	Problems         int
	Due              when
	DueSoon          bool
	// CanEdit offers saving and validating (a draft or ready report, PermManageSARs);
	// CanApprove and CanFile the next steps; WhyNotApprove says why a ready report may
	// not be approved by this user (they prepared it).
	CanManage, CanEdit, CanApprove, CanFile, CanRecordBSA, CanExport bool
	WhyNotApprove                                                    string
}

// settingsSections names the settings' sections as the settings page titles them.
var settingsSections = map[string]string{"institution": "Filing institution", "transmitter": "Transmitter", "contact": "Contact office"}

// visibleSAR returns the SAR, not found for a user without SAR access or who may not
// see its case: a SAR is secret.
func (h *Handler) visibleSAR(r *http.Request) (*access, *docket.SAR, error) {
	a, err := h.access(r)
	if err != nil {
		return nil, nil, err
	}
	id := r.PathValue("id")
	if !a.P.Can(docket.PermReadSARs) {
		return nil, nil, docket.NotFound("SAR", id)
	}
	x, err := h.store.FindSAR(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := h.visibleCase(r, a, x.CaseID); err != nil {
		return nil, nil, docket.NotFound("SAR", id)
	}
	return a, x, nil
}

// sarShow serves GET /sars/{id}.
func (h *Handler) sarShow(w http.ResponseWriter, r *http.Request) error {
	a, x, err := h.visibleSAR(r)
	if err != nil {
		return err
	}
	return h.renderSAR(w, r, a, x, http.StatusOK, nil)
}

// renderSAR shows the SAR page; extra are messages by input name (a form that could not
// be read), shown over the validation problems.
func (h *Handler) renderSAR(w http.ResponseWriter, r *http.Request, a *access, x *docket.SAR, status int, extra map[string]string) error {
	c, settings, err := h.sarContext(r, x)
	if err != nil {
		return err
	}
	d := &sarPage{SAR: x, Case: c, Due: whenOf(h.now(), x.DueAt), DueSoon: x.DueSoon(h.now())}
	errs := map[string]string{}
	problems := (sar.Rules{}).Problems(x, settings)
	d.Problems = len(problems)
	for _, p := range problems {
		if name, ok := strings.CutPrefix(p.Field, "report."); ok || p.Field == "filing-type" {
			if name == "" {
				name = p.Field
			}
			errs[name] = sentence(p.Message) + "."
			continue
		}
		d.SettingsProblems = append(d.SettingsProblems, settingsSections[sar.Section(p.Field)]+": "+p.Message+".")
	}
	for k, msg := range extra {
		errs[k] = msg
	}
	d.Sections = sarFormView(x, errs)
	h.sarPermissions(d, a.P)
	v := &View{Title: "SAR on " + c.Name, Nav: "sars", Data: d, Errors: map[string]string{"": extra[""]}}
	return h.render(w, r, status, "sar_show", v)
}

// sarContext reads what a SAR's pages show beside it: its case and the filing settings.
func (h *Handler) sarContext(r *http.Request, x *docket.SAR) (*docket.Case, *docket.SARSettings, error) {
	c, err := h.store.FindCase(r.Context(), x.CaseID)
	if err != nil {
		return nil, nil, err
	}
	settings, err := h.store.SARSettings(r.Context())
	return c, settings, err
}

func (h *Handler) sarPermissions(d *sarPage, p docket.Principal) {
	x := d.SAR
	d.CanManage = p.Can(docket.PermManageSARs)
	d.CanEdit = d.CanManage && (x.Status == docket.SARDraft || x.Status == docket.SARReady)
	if d.CanManage && x.Status == docket.SARReady {
		if err := p.Confirmer().CheckApprover(x); err != nil {
			_, msg := docket.ErrorField(err)
			d.WhyNotApprove = sentence(msg) + "."
		} else {
			d.CanApprove = true
		}
	}
	d.CanFile = d.CanManage && x.Status == docket.SARApproved
	d.CanRecordBSA = d.CanManage && x.Status == docket.SARFiled && x.BSAID == nil
	d.CanExport = d.CanManage && (x.Status == docket.SARApproved || x.Status == docket.SARFiled)
}
