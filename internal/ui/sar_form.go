package ui

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// The SAR form, by section. Each input is named by its value's path in the report
// ("subjects[0].last-name"), which is also the key of its auto-fill source and of the
// validation problem about it (without "report."), so that a message and a source find
// their input without a table.

// sarInput is one input of the form.
type sarInput struct {
	Name, Label, Value, Kind string
	// Source says where an auto-filled value came from; "" for a value typed by hand.
	Source  string
	Error   string
	Max     int
	Checked bool
	Options []sarOption
}

type sarOption struct{ Value, Label string }

// sarGroup is a set of inputs about one thing: a subject, an identifier, a category.
type sarGroup struct {
	Title  string
	Inputs []sarInput
	// Remove names the checkbox that removes the group ("" for a new, empty one).
	Remove string
}

// sarSection is one section of the form with the problems that concern it.
type sarSection struct {
	ID, Title, Hint string
	Groups          []sarGroup
	Hidden          []sarOption // name, value
	Problems        []string
}

// sarFormView builds the form's sections from a report, its sources and the problems
// keyed by input name ("" collects those of no input).
func sarFormView(x *docket.SAR, errs map[string]string) []sarSection {
	in := func(name, label, value string, max int) sarInput {
		return sarInput{Name: name, Label: label, Value: value, Kind: "text", Max: max, Source: x.Sources[name], Error: errs[name]}
	}
	rep := x.Report
	filing := sarSection{ID: "filing", Title: "Filing", Groups: []sarGroup{{Inputs: []sarInput{
		{Name: "filing-type", Label: "Type of filing", Value: x.FilingType, Kind: "select", Error: errs["filing-type"],
			Options: []sarOption{{docket.SARInitial, "Initial report"}, {docket.SARContinuing, "Continuing activity report"}, {docket.SARCorrection, "Correct/amend prior report"}}},
		in("prior-document-number", "Prior report BSA ID", rep.PriorDocumentNumber, 14),
	}}}}
	filing.Groups[0].Inputs[0].Kind = "readonly"
	return []sarSection{filing, subjectsSection(x, errs, in), activitySection(x, errs, in),
		{ID: "narrative", Title: "Narrative", Hint: fmt.Sprintf("Who, what, when, where, why and how, in up to %d characters.", sar.MaxNarrative),
			Groups: []sarGroup{{Inputs: []sarInput{{Name: "narrative", Label: "Narrative", Value: rep.Narrative, Kind: "textarea",
				Max: sar.MaxNarrative, Error: errs["narrative"]}}}}}}
}

func subjectsSection(x *docket.SAR, errs map[string]string, in func(name, label, value string, max int) sarInput) sarSection {
	subjects := append(slices.Clone(x.Report.Subjects), docket.SARSubject{})
	sec := sarSection{ID: "subjects", Title: "Subjects", Hint: "The people and entities the report is about. Fill in the last row to add one.",
		Hidden: []sarOption{{"subjects-count", strconv.Itoa(len(subjects))}}}
	if e := errs["subjects"]; e != "" {
		sec.Problems = append(sec.Problems, e)
	}
	for i, s := range subjects {
		p := docket.FieldIndex("subjects", i)
		g := rowGroup("subject", p, i, len(subjects))
		entity := sarInput{Name: p + ".entity", Label: "An entity (a business), not a person", Kind: "checkbox", Checked: s.Entity}
		g.Inputs = append(g.Inputs, entity, in(p+".last-name", "Last name or entity name", s.LastName, 150),
			in(p+".first-name", "First name", s.FirstName, 35), in(p+".middle-name", "Middle name", s.MiddleName, 35),
			in(p+".birth-date", "Date of birth (YYYY-MM-DD)", s.BirthDate, 10),
			in(p+".address.street", "Street", s.Address.Street, 100), in(p+".address.city", "City", s.Address.City, 50),
			in(p+".address.state", "State", s.Address.State, 3), in(p+".address.zip", "ZIP code", s.Address.ZIP, 10),
			in(p+".address.country", "Country (2 letters)", s.Address.Country, 2),
			in(p+".account-numbers", "Account numbers (separated by commas)", strings.Join(s.AccountNumbers, ", "), 400))
		// The account numbers are one input: it shows the first source and problem of any.
		accounts := &g.Inputs[len(g.Inputs)-1]
		for k := range s.AccountNumbers {
			item := docket.FieldIndex(p+".account-numbers", k)
			accounts.Source, accounts.Error = cmp.Or(accounts.Source, x.Sources[item]), cmp.Or(accounts.Error, errs[item])
		}
		ids := append(slices.Clone(s.Identifiers), docket.SARIdentifier{})
		g.Inputs = append(g.Inputs, sarInput{Name: p + ".identifiers-count", Kind: "hidden", Value: strconv.Itoa(len(ids))})
		for j, id := range ids {
			q := docket.FieldIndex(p+".identifiers", j)
			typ := sarInput{Name: q + ".type", Label: fmt.Sprintf("Identification %d: type", j+1), Value: id.Type, Kind: "select",
				Options: identifierOptions(), Source: x.Sources[q], Error: errs[q+".type"]}
			g.Inputs = append(g.Inputs, typ, in(q+".number", "Number", id.Number, 25), in(q+".country", "Issuing country", id.Country, 2))
		}
		sec.Groups = append(sec.Groups, g)
	}
	return sec
}

func activitySection(x *docket.SAR, errs map[string]string, in func(name, label, value string, max int) sarInput) sarSection {
	a := x.Report.Activity
	amount := ""
	if a.Amount != nil {
		amount = strconv.FormatInt(*a.Amount, 10)
	}
	sec := sarSection{ID: "activity", Title: "Suspicious activity", Hint: "Dates, the total in whole US dollars, and the categories."}
	main := sarGroup{Inputs: []sarInput{in("activity.from", "From (YYYY-MM-DD)", a.From, 10), in("activity.to", "To (YYYY-MM-DD)", a.To, 10),
		in("activity.amount", "Total amount (whole US dollars)", amount, 15), in("activity.currency", "Currency of the transactions", a.Currency, 20),
		{Name: "activity.amount-unknown", Label: "Amount unknown", Kind: "checkbox", Checked: a.AmountUnknown}}}
	sec.Groups = append(sec.Groups, main)
	if e := errs["activity.categories"]; e != "" {
		sec.Problems = append(sec.Problems, e)
	}
	cats := append(slices.Clone(a.Categories), docket.SARCategory{})
	sec.Hidden = []sarOption{{"categories-count", strconv.Itoa(len(cats))}}
	for i, c := range cats {
		p := docket.FieldIndex("activity.categories", i)
		g := rowGroup("category", p, i, len(cats))
		val := ""
		if c.Subtype != 0 {
			val = strconv.Itoa(c.Subtype)
		}
		g.Inputs = append(g.Inputs, sarInput{Name: p + ".subtype", Label: "Category", Value: val, Kind: "select", Options: categoryOptions(),
			Source: x.Sources[p], Error: errs[p+".subtype"] + errs[p+".type"]}, in(p+".other", "Description (for Other)", c.Other, 50))
		sec.Groups = append(sec.Groups, g)
	}
	return sec
}

// rowGroup starts the group of row i of n at path p: the last row is the empty one that
// adds a thing, the others can be removed.
func rowGroup(thing, p string, i, n int) sarGroup {
	if i == n-1 {
		return sarGroup{Title: "Add a " + thing}
	}
	return sarGroup{Title: fmt.Sprintf("%s %d", sentence(thing), i+1), Remove: p + ".remove"}
}

func identifierOptions() []sarOption {
	out := []sarOption{{"", "None"}}
	for _, k := range []string{"1", "2", "4", "5", "6", "7", "9", "999"} {
		out = append(out, sarOption{k, sar.IdentifierTypes[k]})
	}
	return out
}

// categoryOptions lists every subtype as "Type: subtype", by type.
func categoryOptions() []sarOption {
	out := []sarOption{{"", "None"}}
	subs := make([]int, 0, len(sar.Subcategories))
	for k := range sar.Subcategories {
		subs = append(subs, k)
	}
	slices.SortFunc(subs, func(a, b int) int {
		if ta, tb := sar.SubcategoryType(a), sar.SubcategoryType(b); ta != tb {
			return ta - tb
		}
		return a - b
	})
	for _, s := range subs {
		out = append(out, sarOption{strconv.Itoa(s), sar.Categories[sar.SubcategoryType(s)] + ": " + sar.Subcategories[s]})
	}
	return out
}

// parseSARForm reads the report from the form. errs holds the values it could not read
// (by input name); the report keeps the old value there.
func parseSARForm(f url.Values, old docket.SARReport) (docket.SARReport, map[string]string) {
	errs := map[string]string{}
	rep := docket.SARReport{PriorDocumentNumber: strings.TrimSpace(f.Get("prior-document-number")),
		Narrative: strings.TrimSpace(f.Get("narrative")), Subjects: []docket.SARSubject{}}
	for i := range count(f, "subjects-count") {
		p := docket.FieldIndex("subjects", i) + "."
		if f.Get(p+"remove") != "" {
			continue
		}
		s := docket.SARSubject{Entity: f.Get(p+"entity") != "", LastName: v(f, p+"last-name"), FirstName: v(f, p+"first-name"),
			MiddleName: v(f, p+"middle-name"), BirthDate: v(f, p+"birth-date"), Identifiers: []docket.SARIdentifier{}, AccountNumbers: []string{},
			Address: docket.SARAddress{Street: v(f, p+"address.street"), City: v(f, p+"address.city"), State: strings.ToUpper(v(f, p+"address.state")),
				ZIP: v(f, p+"address.zip"), Country: strings.ToUpper(v(f, p+"address.country"))}}
		for _, a := range strings.Split(f.Get(p+"account-numbers"), ",") {
			if a = strings.TrimSpace(a); a != "" {
				s.AccountNumbers = append(s.AccountNumbers, a)
			}
		}
		for j := range count(f, p+"identifiers-count") {
			q := docket.FieldIndex(p+"identifiers", j) + "."
			if id := (docket.SARIdentifier{Type: v(f, q+"type"), Number: v(f, q+"number"), Country: strings.ToUpper(v(f, q+"country"))}); id.Number != "" || id.Type != "" {
				s.Identifiers = append(s.Identifiers, id)
			}
		}
		if s.LastName != "" || s.FirstName != "" || len(s.Identifiers) > 0 {
			rep.Subjects = append(rep.Subjects, s)
		}
	}
	rep.Activity = parseActivity(f, old.Activity, errs)
	return rep, errs
}

func parseActivity(f url.Values, old docket.SARActivity, errs map[string]string) docket.SARActivity {
	a := docket.SARActivity{From: v(f, "activity.from"), To: v(f, "activity.to"), Currency: strings.ToUpper(v(f, "activity.currency")),
		AmountUnknown: f.Get("activity.amount-unknown") != "", Categories: []docket.SARCategory{}}
	if s := strings.NewReplacer(",", "", "$", "", " ", "").Replace(f.Get("activity.amount")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs["activity.amount"] = "Write the amount in whole dollars, such as 13501."
			a.Amount = old.Amount
		} else {
			a.Amount = &n
		}
	}
	for i := range count(f, "categories-count") {
		p := docket.FieldIndex("activity.categories", i) + "."
		sub, err := strconv.Atoi(f.Get(p + "subtype"))
		if f.Get(p+"remove") != "" || err != nil {
			continue
		}
		a.Categories = append(a.Categories, docket.SARCategory{Type: sar.SubcategoryType(sub), Subtype: sub, Other: v(f, p+"other")})
	}
	return a
}

func v(f url.Values, name string) string { return strings.TrimSpace(f.Get(name)) }

// count reads a form's count of rows, bounded so that a forged one costs nothing.
func count(f url.Values, name string) int {
	n, err := strconv.Atoi(f.Get(name))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, 200)
}
