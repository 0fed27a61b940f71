package sar

import (
	"context"

	"github.com/docket-hq/docket"
)

// Store is what drafting and preparing a SAR read and write: the services the API and
// the dashboard hold.
type Store interface {
	docket.CaseDetailService
	docket.CaseTemplateService
	FindCase(ctx context.Context, id string) (*docket.Case, error)
	CreateCase(ctx context.Context, actor docket.Actor, nc docket.NewCase) (*docket.Case, error)
	SARSettings(ctx context.Context) (*docket.SARSettings, error)
	CreateSAR(ctx context.Context, actor docket.Actor, x *docket.SAR) error
}

// Draft fills x (its CaseID, FilingType and PriorSARID set) from its case, as vis lets
// the preparer see it, and stores it.
func Draft(ctx context.Context, st Store, actor docket.Actor, vis docket.Visibility, x *docket.SAR) error {
	d, err := st.FindCaseDetail(ctx, x.CaseID, docket.CaseDetailOptions{Accounts: true, Inquiries: true,
		Transactions: true, Visibility: &vis})
	if err != nil {
		return err
	}
	settings, err := st.SARSettings(ctx)
	if err != nil {
		return err
	}
	x.Report, x.Sources = Fill(d, settings)
	return st.CreateSAR(ctx, actor, x)
}

// Prepare is the decision to file on an alert case: it opens a case of a SAR template
// (templateID, else the first active one) holding the alert case's objects, so that the
// two are related through their accounts, and drafts the SAR on it. A failure after the
// case is opened leaves the SAR case without a SAR, from which one can be drafted again.
func Prepare(ctx context.Context, st Store, actor docket.Actor, vis docket.Visibility, alertID, templateID string) (*docket.Case, *docket.SAR, error) {
	tmpl, err := template(ctx, st, templateID)
	if err != nil {
		return nil, nil, err
	}
	alert, err := st.FindCase(ctx, alertID)
	if err != nil {
		return nil, nil, err
	}
	c, err := st.CreateCase(ctx, actor, docket.NewCase{TemplateID: tmpl.ID, ObjectIDs: alert.ObjectIDs})
	if err != nil {
		return nil, nil, err
	}
	x := &docket.SAR{CaseID: c.ID, FilingType: docket.SARInitial}
	if err := Draft(ctx, st, actor, vis, x); err != nil {
		return c, nil, err
	}
	return c, x, nil
}

// template returns the SAR template named, or the first active one.
func template(ctx context.Context, st Store, id string) (*docket.CaseTemplate, error) {
	if id != "" {
		t, err := st.FindTemplate(ctx, id)
		if err != nil || !t.SAR || t.Status != docket.TemplateActive {
			return nil, docket.Invalid("case-template-id", "%s is not an active SAR template", id)
		}
		return t, nil
	}
	p := docket.Page{Size: docket.MaxPageSize}
	for {
		list, pr, err := st.ListTemplates(ctx, docket.CaseTemplateFilter{Status: docket.TemplateActive, Page: p})
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			if t.SAR {
				return t, nil
			}
		}
		if !pr.HasNext || len(list) == 0 {
			return nil, docket.Invalid("case-template-id", "no active case template is marked sar: mark one (its sar setting)")
		}
		p.After = list[len(list)-1].ID
	}
}
