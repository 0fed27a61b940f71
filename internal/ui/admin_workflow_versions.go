package ui

import (
	"net/http"
	"strconv"

	"github.com/docket-hq/docket"
)

// versionsPage is what templates/admin_workflow_versions.html shows: the published
// versions, and a line diff of two of them (or of one and the draft).
type versionsPage struct {
	Workflow *docket.Workflow
	Tab      string
	Versions []versionRow
	Pager    pager
	// Choices are what the diff form offers: the versions listed and the draft.
	Choices  []string
	From, To string
	// Diff holds the hunks of the diff asked for; Same says the two are equal.
	Diff     []diffHunk
	Compared bool
}

type versionRow struct {
	// Version and Prev, the version before it (0 for the first).
	Version, Prev int
	Published     when
	Current       bool
}

// draftChoice names the draft in the diff form.
const draftChoice = "draft"

// adminWorkflowVersions serves GET /admin/workflows/{id}/versions (ListWorkflowVersions,
// as GET /api/v1/workflows/{id}/versions). ?from=1&to=2 adds the diff of the two
// pretty-printed definitions; either may be "draft".
func (h *Handler) adminWorkflowVersions(w http.ResponseWriter, r *http.Request) error {
	_, wf, err := h.workflowFor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := docket.Page{Size: adminListSize, After: q.Get("after")}
	if _, ok := docket.ParseVersion(p.After); !ok {
		p.After = ""
	}
	list, pr, err := h.store.ListWorkflowVersions(r.Context(), wf.ID, p)
	if err != nil {
		return err
	}
	d := &versionsPage{Workflow: wf, Tab: "versions", Choices: []string{draftChoice}}
	now := h.now()
	for _, v := range list {
		d.Versions = append(d.Versions, versionRow{Version: v.Version, Prev: v.Version - 1, Published: whenOf(now, v.PublishedAt), Current: v.Version == wf.Version})
		d.Choices = append(d.Choices, strconv.Itoa(v.Version))
	}
	if pr.HasNext && len(list) > 0 {
		d.Pager.Next = "/admin/workflows/" + wf.ID + "/versions?after=" + strconv.Itoa(list[len(list)-1].Version)
	}
	d.From, d.To = defaultComparison(wf.Version)
	if q.Has("from") || q.Has("to") {
		d.From, d.To = q.Get("from"), q.Get("to")
		before, err := h.versionText(r, wf, d.From)
		if err != nil {
			return err
		}
		after, err := h.versionText(r, wf, d.To)
		if err != nil {
			return err
		}
		d.Diff, d.Compared = lineDiff(before, after), true
	}
	return h.render(w, r, http.StatusOK, "admin_workflow_versions", &View{Title: wf.Name + ": versions", Nav: "admin", Data: d})
}

// defaultComparison is what the diff form proposes: the two newest versions, or the
// only version and the draft.
func defaultComparison(latest int) (string, string) {
	switch latest {
	case 0:
		return draftChoice, draftChoice
	case 1:
		return "1", draftChoice
	}
	return strconv.Itoa(latest - 1), strconv.Itoa(latest)
}

// versionText is the pretty-printed definition of a version ("3") or of the draft.
func (h *Handler) versionText(r *http.Request, wf *docket.Workflow, choice string) (string, error) {
	if choice == draftChoice {
		return definitionText(wf.Definition), nil
	}
	n, ok := docket.ParseVersion(choice)
	if !ok {
		return "", docket.Errorf(docket.ENotFound, "workflow %s has no version %q", wf.ID, choice)
	}
	v, err := h.store.FindWorkflowVersion(r.Context(), wf.ID, n)
	if err != nil {
		return "", err
	}
	return definitionText(v.Definition), nil
}
