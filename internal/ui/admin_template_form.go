package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
)

// The case template form (/admin/templates/new and /admin/templates/{id}) as plain
// inputs: repeated rows for statuses and fields, with a few blank rows to add more and
// submit buttons to move a row up or down, so that it works without a script. The form
// reads into a tmplForm, which becomes the template the API's POST or PATCH would
// carry; the store's validation stays the judge.

// Blank rows shown below the statuses and the fields, and added by "More rows".
const (
	tmplBlankStatuses = 2
	tmplBlankFields   = 1
	tmplMoreRows      = 3
	// tmplMaxRows bounds the rows a form may post, so that a forged form cannot make the
	// page render millions of rows.
	tmplMaxRows = 200
)

// tmplForm is what the template form shows and posts.
type tmplForm struct {
	Name, Key string
	Statuses  []tmplStatusRow
	Fields    []tmplFieldRow
	// AssignType is the assignment policy; Members the user ids it takes turns over, in order.
	AssignType string
	Members    []string
	// Emails is the notification addresses, one a line.
	Emails string
	// SLA and SLAUnit give sla-seconds as a number of units ("" for none).
	SLA, SLAUnit string
	Roles        []string
	// SAR marks a SAR template, whose cases only SAR readers see.
	SAR bool
}

type tmplStatusRow struct {
	Name, Type string
	// FourEyes marks an end status that a second person must confirm (four-eyes-statuses).
	FourEyes bool
}

type tmplFieldRow struct {
	Key, Label, Type string
	Required         bool
	// Options holds a choices field's options, one a line.
	Options             string
	Min, Max, MaxLength string
	Editable            []string
}

func (r tmplStatusRow) blank() bool { return strings.TrimSpace(r.Name) == "" }

func (r tmplFieldRow) blank() bool {
	return strings.TrimSpace(r.Key+r.Label+r.Options+r.Min+r.Max+r.MaxLength) == ""
}

// slaUnits are the units the SLA may be given in, largest first.
var slaUnits = []struct {
	Name    string
	Seconds int64
}{{"days", 86400}, {"hours", 3600}, {"minutes", 60}, {"seconds", 1}}

// tmplFormOf fills the form from a template.
func tmplFormOf(t *docket.CaseTemplate) *tmplForm {
	f := &tmplForm{Name: t.Name, Key: t.Key, AssignType: t.AssignmentPolicy.Type, SLAUnit: "hours",
		Members: slices.Clone(t.AssignmentPolicy.UserIDs), Roles: slices.Clone(t.VisibleToRoles), SAR: t.SAR,
		Emails: strings.Join(t.NotificationPolicy.Emails, "\n")}
	for _, s := range t.Statuses {
		f.Statuses = append(f.Statuses, tmplStatusRow{Name: s.Name, Type: s.Type, FourEyes: t.NeedsConfirmation(s.Name)})
	}
	for _, s := range t.FieldSchemas {
		f.Fields = append(f.Fields, tmplFieldRowOf(s))
	}
	if t.SLASeconds != nil {
		for _, u := range slaUnits {
			if *t.SLASeconds%u.Seconds == 0 {
				f.SLA, f.SLAUnit = strconv.FormatInt(*t.SLASeconds/u.Seconds, 10), u.Name
				break
			}
		}
	}
	f.pad(0)
	return f
}

func tmplFieldRowOf(s docket.FieldSchema) tmplFieldRow {
	row := tmplFieldRow{Key: s.Key, Label: s.Label, Type: s.Type, Required: s.Required,
		Options: strings.Join(s.Config.Options, "\n"), Editable: slices.Clone(s.EditableByRoles)}
	if s.Config.Min != nil {
		row.Min = strconv.FormatFloat(*s.Config.Min, 'f', -1, 64)
	}
	if s.Config.Max != nil {
		row.Max = strconv.FormatFloat(*s.Config.Max, 'f', -1, 64)
	}
	if s.Config.MaxLength != nil {
		row.MaxLength = strconv.Itoa(*s.Config.MaxLength)
	}
	return row
}

// pad drops the blank rows at the end of each list and adds the usual blank rows, and
// more more blank rows to the list named more ("status" or "field").
func (f *tmplForm) pad(more int, list ...string) {
	for len(f.Statuses) > 0 && f.Statuses[len(f.Statuses)-1].blank() {
		f.Statuses = f.Statuses[:len(f.Statuses)-1]
	}
	for len(f.Fields) > 0 && f.Fields[len(f.Fields)-1].blank() {
		f.Fields = f.Fields[:len(f.Fields)-1]
	}
	ns, nf := tmplBlankStatuses, tmplBlankFields
	if slices.Contains(list, "status") {
		ns += more
	}
	if slices.Contains(list, "field") {
		nf += more
	}
	for range ns {
		f.Statuses = append(f.Statuses, tmplStatusRow{Type: docket.StatusIntermediate})
	}
	for range nf {
		f.Fields = append(f.Fields, tmplFieldRow{Type: docket.FieldString})
	}
}

// readTmplForm reads the posted form. Rows are numbered from 0; status-rows and
// field-rows say how many the form had.
func readTmplForm(r *http.Request) *tmplForm {
	pf := r.PostForm
	f := &tmplForm{Name: pf.Get("name"), Key: pf.Get("key"), AssignType: pf.Get("assignment-type"),
		Members: pf["assignment-user"], Emails: pf.Get("notification-emails"), SLA: strings.TrimSpace(pf.Get("sla")),
		SLAUnit: pf.Get("sla-unit"), Roles: pf["visible-to-roles"], SAR: pf.Get("sar") != ""}
	for i := range rowCount(pf.Get("status-rows")) {
		p := "status." + strconv.Itoa(i) + "."
		f.Statuses = append(f.Statuses, tmplStatusRow{Name: strings.TrimSpace(pf.Get(p + "name")), Type: pf.Get(p + "type"),
			FourEyes: pf.Get(p+"four-eyes") != ""})
	}
	for i := range rowCount(pf.Get("field-rows")) {
		p := "field." + strconv.Itoa(i) + "."
		f.Fields = append(f.Fields, tmplFieldRow{Key: strings.TrimSpace(pf.Get(p + "key")), Label: strings.TrimSpace(pf.Get(p + "label")),
			Type: pf.Get(p + "type"), Required: pf.Get(p+"required") != "", Options: pf.Get(p + "options"),
			Min: strings.TrimSpace(pf.Get(p + "min")), Max: strings.TrimSpace(pf.Get(p + "max")),
			MaxLength: strings.TrimSpace(pf.Get(p + "max-length")), Editable: pf[p+"editable"]})
	}
	return f
}

func rowCount(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return min(n, tmplMaxRows)
}

// move swaps a row with its neighbour: spec is "status.2.up" or "field.0.down". It
// reports whether spec named a row that could move.
func (f *tmplForm) move(spec string) bool {
	parts := strings.Split(spec, ".")
	if len(parts) != 3 {
		return false
	}
	i, err := strconv.Atoi(parts[1])
	if err != nil {
		return false
	}
	j := i - 1
	if parts[2] == "down" {
		j = i + 1
	}
	switch parts[0] {
	case "status":
		return swapRows(f.Statuses, i, j)
	case "field":
		return swapRows(f.Fields, i, j)
	}
	return false
}

func swapRows[T any](rows []T, i, j int) bool {
	if i < 0 || j < 0 || i >= len(rows) || j >= len(rows) {
		return false
	}
	rows[i], rows[j] = rows[j], rows[i]
	return true
}

// tmplInput is the template the form describes, with where each of its statuses and
// fields came from in the form (their row numbers), for placing messages.
type tmplInput struct {
	t         docket.CaseTemplate
	statusRow []int
	fieldRow  []int
	// fourEyesRow is the form row of each of the template's four-eyes statuses.
	fourEyesRow []int
}

// template builds the template the form describes. Blank rows are left out. Inputs
// the store cannot judge because they are not even numbers come back as errors keyed
// by input name.
func (f *tmplForm) template() (*tmplInput, map[string]string) {
	in := &tmplInput{}
	errs := map[string]string{}
	t := &in.t
	t.Name, t.Key = f.Name, f.Key
	t.Statuses, t.FieldSchemas, t.FourEyesStatuses = []docket.Status{}, []docket.FieldSchema{}, []string{}
	for i, row := range f.Statuses {
		if row.blank() {
			continue
		}
		t.Statuses = append(t.Statuses, docket.Status{Name: row.Name, Type: row.Type})
		in.statusRow = append(in.statusRow, i)
		if row.FourEyes {
			t.FourEyesStatuses = append(t.FourEyesStatuses, row.Name)
			in.fourEyesRow = append(in.fourEyesRow, i)
		}
	}
	for i, row := range f.Fields {
		if row.blank() {
			continue
		}
		s, rowErrs := row.schema("field." + strconv.Itoa(i) + ".")
		for k, v := range rowErrs {
			errs[k] = v
		}
		t.FieldSchemas = append(t.FieldSchemas, s)
		in.fieldRow = append(in.fieldRow, i)
	}
	t.AssignmentPolicy = docket.AssignmentPolicy{Type: f.AssignType, UserIDs: append([]string{}, f.Members...)}
	t.NotificationPolicy.Emails = splitList(f.Emails)
	t.VisibleToRoles = append([]string{}, f.Roles...)
	t.SAR = f.SAR
	if f.SLA != "" {
		sla, ok := f.slaSeconds()
		if !ok {
			errs["sla"] = "The SLA must be a whole number of " + f.SLAUnit + "."
		}
		t.SLASeconds = &sla
	}
	return in, errs
}

// slaSeconds converts the SLA to seconds. A number out of range is passed on (capped)
// for the store to say what range is allowed.
func (f *tmplForm) slaSeconds() (int64, bool) {
	n, err := strconv.ParseInt(f.SLA, 10, 64)
	if err != nil {
		return 0, false
	}
	for _, u := range slaUnits {
		if u.Name == f.SLAUnit {
			if n > docket.MaxSLASeconds/u.Seconds {
				return docket.MaxSLASeconds + 1, true
			}
			return n * u.Seconds, true
		}
	}
	return 0, false
}

// schema builds a field schema from a row; p is the row's input name prefix.
func (row tmplFieldRow) schema(p string) (docket.FieldSchema, map[string]string) {
	errs := map[string]string{}
	s := docket.FieldSchema{Key: row.Key, Label: row.Label, Type: row.Type, Required: row.Required,
		Config: docket.FieldConfig{Options: splitLines(row.Options)}}
	if len(row.Editable) > 0 {
		s.EditableByRoles = append([]string{}, row.Editable...)
	}
	for _, b := range []struct {
		raw  string
		dst  **float64
		name string
	}{{row.Min, &s.Config.Min, "min"}, {row.Max, &s.Config.Max, "max"}} {
		if b.raw == "" {
			continue
		}
		v, err := strconv.ParseFloat(b.raw, 64)
		if err != nil {
			errs[p+b.name] = "The " + b.name + " must be a number."
			continue
		}
		*b.dst = &v
	}
	if row.MaxLength != "" {
		n, err := strconv.Atoi(row.MaxLength)
		if err != nil {
			errs[p+"max-length"] = "The maximum length must be a whole number."
		}
		s.Config.MaxLength = &n
	}
	return s, errs
}

// splitLines splits a textarea into its non-blank lines, trimmed.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// splitList splits a textarea of addresses given one a line or separated by commas.
func splitList(s string) []string {
	return splitLines(strings.ReplaceAll(s, ",", "\n"))
}
