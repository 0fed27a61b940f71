package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// The queue form (/admin/queues/new and /admin/queues/{id}): a name and the filter, with
// the case list's pickers (templates, statuses, tags, SLA, assignee). It calls the store
// methods of POST and PATCH /api/v1/case-queues.

// queuePage is what templates/admin_queue.html shows.
type adminQueuePage struct {
	Queue     *docket.CaseQueue // nil for a new queue
	Name      string
	Templates []choice
	Statuses  []choice
	Tags      string
	SLA       string
	Assignee  string
	Users     []*docket.User
	Action    string
	// Counts, for an active queue: what it holds and what waits, as the queue list says.
	Counts *queueRow
}

// queueInputs maps the field paths of a queue to the form's inputs (see inputFor).
var queueInputs = map[string]string{"name": "name", "filter.case-template-ids": "template", "filter.statuses": "status",
	"filter.tags": "tags", "filter.sla": "sla", "filter.assignee": "assignee"}

// adminQueueNew serves GET /admin/queues/new.
func (h *Handler) adminQueueNew(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageQueues)
	if err != nil {
		return err
	}
	return h.renderQueueForm(w, r, a, http.StatusOK, nil, &docket.CaseQueue{}, &View{})
}

// adminQueueShow serves GET /admin/queues/{id}.
func (h *Handler) adminQueueShow(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageQueues)
	if err != nil {
		return err
	}
	q, err := h.store.FindQueue(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.renderQueueForm(w, r, a, http.StatusOK, q, q, &View{})
}

// adminQueueCreate serves POST /admin/queues/new (CreateQueue, as POST /api/v1/case-queues).
func (h *Handler) adminQueueCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageQueues)
	if err != nil {
		return err
	}
	return h.saveQueue(w, r, a, nil)
}

// adminQueueUpdate serves POST /admin/queues/{id} (UpdateQueue, as PATCH
// /api/v1/case-queues/{id} with the name and a whole new filter).
func (h *Handler) adminQueueUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageQueues)
	if err != nil {
		return err
	}
	q, err := h.store.FindQueue(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.saveQueue(w, r, a, q)
}

// saveQueue creates a queue from the posted form, or renames q and replaces its filter.
func (h *Handler) saveQueue(w http.ResponseWriter, r *http.Request, a *access, q *docket.CaseQueue) error {
	posted, err := readQueueForm(r)
	if err != nil {
		return err
	}
	saved, msg := &docket.CaseQueue{Name: posted.Name, Filter: posted.Filter}, "created"
	if q == nil {
		err = h.store.CreateQueue(r.Context(), a.P.Actor(), saved)
	} else {
		saved, err = h.store.UpdateQueue(r.Context(), a.P.Actor(), q.ID, docket.CaseQueueUpdate{Name: &posted.Name, Filter: &posted.Filter})
		msg = "saved"
	}
	if err != nil {
		return h.queueRefused(w, r, a, q, posted, err)
	}
	return h.queueDone(w, r, saved, "Queue “"+saved.Name+"” "+msg+".")
}

// adminQueueArchive serves POST /admin/queues/{id}/archive (ArchiveQueue, as POST
// /api/v1/case-queues/{id}/archive).
func (h *Handler) adminQueueArchive(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageQueues)
	if err != nil {
		return err
	}
	q, err := h.store.ArchiveQueue(r.Context(), a.P.Actor(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.queueDone(w, r, q, "Queue “"+q.Name+"” archived: nobody can take its cases from it any more.")
}

func (h *Handler) queueDone(w http.ResponseWriter, r *http.Request, q *docket.CaseQueue, msg string) error {
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	http.Redirect(w, r, "/admin/queues/"+url.PathEscape(q.ID), http.StatusSeeOther)
	return nil
}

// readQueueForm reads the posted name and filter. Tags are given separated by commas.
func readQueueForm(r *http.Request) (*docket.CaseQueue, error) {
	if err := r.ParseForm(); err != nil {
		return nil, docket.Errorf(docket.EBadRequest, "the form could not be read")
	}
	pf := r.PostForm
	return &docket.CaseQueue{Name: pf.Get("name"), Filter: docket.CaseQueueFilter{
		TemplateIDs: pf["template"], Statuses: pf["status"], Tags: splitList(pf.Get("tags")),
		SLA: pf.Get("sla"), Assignee: pf.Get("assignee")}}, nil
}

// queueRefused shows the form again with the store's message beside its input.
func (h *Handler) queueRefused(w http.ResponseWriter, r *http.Request, a *access, q, posted *docket.CaseQueue, err error) error {
	switch docket.ErrorCode(err) {
	case docket.EInvalid, docket.EConflict, docket.EBadRequest:
	default:
		return err
	}
	field, msg := docket.ErrorField(err)
	errs := map[string]string{inputFor(field, queueInputs): sentence(msg)}
	if errs[""] == "" {
		errs[""] = "Nothing was saved: correct the input marked below."
	}
	return h.renderQueueForm(w, r, a, http.StatusUnprocessableEntity, q, posted, &View{Errors: errs})
}

// renderQueueForm shows the form of queue q (nil for a new one) holding the values of f.
// It offers the templates the user may see, every status of those templates, and
// whatever f holds beyond them, so that saving never drops a value unseen.
func (h *Handler) renderQueueForm(w http.ResponseWriter, r *http.Request, a *access, status int, q, f *docket.CaseQueue, v *View) error {
	users, err := h.tmplUsers(r.Context())
	if err != nil {
		return err
	}
	slices.SortStableFunc(users, func(x, y *docket.User) int {
		return strings.Compare(strings.ToLower(caseListUserName(x)), strings.ToLower(caseListUserName(y)))
	})
	d := &adminQueuePage{Queue: q, Name: f.Name, Tags: strings.Join(f.Filter.Tags, ", "), SLA: f.Filter.SLA,
		Assignee: f.Filter.Assignee, Users: users, Action: "/admin/queues/new"}
	var templates []*docket.CaseTemplate
	for _, t := range a.Templates {
		if !a.Vis.Hides(t.ID) && (t.Status == docket.TemplateActive || slices.Contains(f.Filter.TemplateIDs, t.ID)) {
			templates = append(templates, t)
		}
	}
	slices.SortFunc(templates, func(x, y *docket.CaseTemplate) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), strings.Compare(x.ID, y.ID))
	})
	for _, t := range templates {
		d.Templates = append(d.Templates, choice{Value: t.ID, Label: t.Name, Checked: slices.Contains(f.Filter.TemplateIDs, t.ID)})
	}
	for _, id := range f.Filter.TemplateIDs {
		if !slices.ContainsFunc(d.Templates, func(c choice) bool { return c.Value == id }) {
			d.Templates = append(d.Templates, choice{Value: id, Label: cmp.Or(a.templateName(id), id), Checked: true})
		}
	}
	for _, name := range caseListStatuses(templates, "") {
		d.Statuses = append(d.Statuses, choice{Value: name, Label: name, Checked: slices.Contains(f.Filter.Statuses, name)})
	}
	for _, name := range f.Filter.Statuses {
		if !slices.ContainsFunc(d.Statuses, func(c choice) bool { return c.Value == name }) {
			d.Statuses = append(d.Statuses, choice{Value: name, Label: name, Checked: true})
		}
	}
	v.Title, v.Nav, v.Data = "New queue", "admin", d
	if q != nil {
		v.Title, d.Action = "Queue "+q.Name, "/admin/queues/"+url.PathEscape(q.ID)
		if q.Status == docket.QueueActive {
			n, err := h.store.CountQueueCases(r.Context(), q.ID, a.Vis, countLimit)
			if err != nil {
				return err
			}
			row := queueRowOf(q, n)
			d.Counts = &row
		}
	}
	return h.render(w, r, status, "admin_queue", v)
}
