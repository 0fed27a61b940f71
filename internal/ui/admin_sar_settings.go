package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// adminSARSettings serves GET /admin/sar-settings: the filing institution, transmitter,
// contact office and the mapping of alert rules to FinCEN categories (PATCH
// /sar-settings in the API).
func (h *Handler) adminSARSettings(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageSARs); err != nil {
		return err
	}
	st, err := h.store.SARSettings(r.Context())
	if err != nil {
		return err
	}
	return h.renderSARSettings(w, r, st, http.StatusOK, nil)
}

func (h *Handler) renderSARSettings(w http.ResponseWriter, r *http.Request, st *docket.SARSettings, status int, errs map[string]string) error {
	if errs == nil {
		errs = map[string]string{}
	}
	// What is missing for filing is shown beside each input, as a SAR would report it.
	for _, p := range (sar.Rules{}).Problems(&docket.SAR{FilingType: docket.SARInitial}, st) {
		if name, ok := strings.CutPrefix(p.Field, "settings."); ok && errs[name] == "" {
			errs[name] = sentence(p.Message) + "."
		}
	}
	return h.render(w, r, status, "admin_sar_settings", &View{Title: "SAR filing settings", Nav: "admin",
		Data: sarSettingsView(st, errs), Errors: map[string]string{"": errs[""]}})
}

// adminSARSettingsSave serves POST /admin/sar-settings. Incomplete settings are saved
// (they are entered over time); a mapping to an unknown category is refused.
func (h *Handler) adminSARSettingsSave(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageSARs)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "The form could not be read.")
	}
	st, errs := parseSARSettings(r.PostForm)
	if len(errs) > 0 {
		return h.renderSARSettings(w, r, st, http.StatusUnprocessableEntity, errs)
	}
	if err := h.store.SetSARSettings(r.Context(), a.P.Actor(), st); err != nil {
		return err
	}
	return h.adminDone(w, r, "/admin/sar-settings", "Saved the SAR filing settings.")
}

// sarSettingsInputs are the settings' text inputs: name (a path in the settings), label
// and maximum length.
var sarSettingsInputs = []struct {
	section, name, label string
	max                  int
}{
	{"Filing institution", "institution.name", "Legal name", 150}, {"Filing institution", "institution.ein", "EIN (9 digits)", 9},
	{"Filing institution", "institution.address.street", "Street", 100}, {"Filing institution", "institution.address.city", "City", 50},
	{"Filing institution", "institution.address.state", "State", 3}, {"Filing institution", "institution.address.zip", "ZIP code", 9},
	{"Filing institution", "institution.address.country", "Country (2 letters)", 2},
	{"Transmitter", "transmitter.name", "Name", 150}, {"Transmitter", "transmitter.tin", "TIN (9 digits)", 9},
	{"Transmitter", "transmitter.tcc", "Transmitter Control Code", 8}, {"Transmitter", "transmitter.phone", "Phone (digits)", 16},
	{"Transmitter", "transmitter.contact-name", "Contact person", 150},
	{"Transmitter", "transmitter.address.street", "Street", 100}, {"Transmitter", "transmitter.address.city", "City", 50},
	{"Transmitter", "transmitter.address.state", "State", 3}, {"Transmitter", "transmitter.address.zip", "ZIP code", 9},
	{"Transmitter", "transmitter.address.country", "Country (2 letters)", 2},
	{"Contact office", "contact.office", "Office", 150}, {"Contact office", "contact.phone", "Phone (digits)", 16},
}

// settingsText returns where a text input's value lives.
func settingsText(st *docket.SARSettings, name string) *string {
	return map[string]*string{
		"institution.name": &st.Institution.Name, "institution.ein": &st.Institution.EIN,
		"institution.address.street": &st.Institution.Address.Street, "institution.address.city": &st.Institution.Address.City,
		"institution.address.state": &st.Institution.Address.State, "institution.address.zip": &st.Institution.Address.ZIP,
		"institution.address.country": &st.Institution.Address.Country,
		"transmitter.name":            &st.Transmitter.Name, "transmitter.tin": &st.Transmitter.TIN, "transmitter.tcc": &st.Transmitter.TCC,
		"transmitter.phone": &st.Transmitter.Phone, "transmitter.contact-name": &st.Transmitter.ContactName,
		"transmitter.address.street": &st.Transmitter.Address.Street, "transmitter.address.city": &st.Transmitter.Address.City,
		"transmitter.address.state": &st.Transmitter.Address.State, "transmitter.address.zip": &st.Transmitter.Address.ZIP,
		"transmitter.address.country": &st.Transmitter.Address.Country,
		"contact.office":              &st.Contact.Office, "contact.phone": &st.Contact.Phone,
	}[name]
}

func sarSettingsView(st *docket.SARSettings, errs map[string]string) []sarSection {
	var out []sarSection
	for _, in := range sarSettingsInputs {
		if len(out) == 0 || out[len(out)-1].Title != in.section {
			out = append(out, sarSection{ID: strings.ToLower(strings.ReplaceAll(in.section, " ", "-")), Title: in.section, Groups: []sarGroup{{}}})
		}
		g := &out[len(out)-1].Groups[0]
		g.Inputs = append(g.Inputs, sarInput{Name: in.name, Label: in.label, Value: *settingsText(st, in.name), Kind: "text", Max: in.max, Error: errs[in.name]})
	}
	inst := &out[0].Groups[0]
	inst.Inputs = append(inst.Inputs,
		sarInput{Name: "institution.type", Label: "Type of institution", Value: strconv.Itoa(st.Institution.Type), Kind: "select",
			Options: codeOptions(sar.InstitutionTypes), Error: errs["institution.type"]},
		sarInput{Name: "institution.regulator", Label: "Primary federal regulator", Value: st.Institution.Regulator, Kind: "select",
			Options: stringCodeOptions(sar.Regulators), Error: errs["institution.regulator"]})
	cats := sarSection{ID: "categories", Title: "Categories from alerts", Hint: "Which FinCEN category each value of the transactions' field stands for, for auto-fill.",
		Groups: []sarGroup{{Inputs: []sarInput{{Name: "category-field", Label: "Transaction field", Value: st.CategoryField, Kind: "text", Max: 100}}}}}
	rows := append(append([]docket.SARCategoryMapping(nil), st.CategoryMap...), docket.SARCategoryMapping{})
	cats.Hidden = []sarOption{{"category-map-count", strconv.Itoa(len(rows))}}
	for i, m := range rows {
		p := docket.FieldIndex("category-map", i)
		sub := ""
		if m.Subtype != 0 {
			sub = strconv.Itoa(m.Subtype)
		}
		cats.Groups = append(cats.Groups, sarGroup{Inputs: []sarInput{
			{Name: p + ".value", Label: "Value", Value: m.Value, Kind: "text", Max: 100},
			{Name: p + ".subtype", Label: "FinCEN category", Value: sub, Kind: "select", Options: categoryOptions(), Error: errs[p+".subtype"]}}})
	}
	return append(out, cats)
}

func codeOptions(m map[int]string) []sarOption {
	out := []sarOption{{"0", "Choose…"}}
	for _, k := range []int{1, 2, 3, 4, 5, 11, 12} {
		out = append(out, sarOption{strconv.Itoa(k), m[k]})
	}
	return out
}

func stringCodeOptions(m map[string]string) []sarOption {
	out := []sarOption{{"", "Choose…"}}
	for _, k := range []string{"1", "2", "3", "4", "6", "7", "9", "13", "99"} {
		out = append(out, sarOption{k, m[k]})
	}
	return out
}

func parseSARSettings(f map[string][]string) (*docket.SARSettings, map[string]string) {
	get := func(name string) string {
		if vs := f[name]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	st := &docket.SARSettings{CategoryField: get("category-field"), CategoryMap: []docket.SARCategoryMapping{}}
	errs := map[string]string{}
	for _, in := range sarSettingsInputs {
		*settingsText(st, in.name) = get(in.name)
	}
	st.Institution.Address.Country, st.Transmitter.Address.Country = strings.ToUpper(st.Institution.Address.Country), strings.ToUpper(st.Transmitter.Address.Country)
	st.Institution.Type, _ = strconv.Atoi(get("institution.type"))
	st.Institution.Regulator = get("institution.regulator")
	n, _ := strconv.Atoi(get("category-map-count"))
	for i := range min(max(n, 0), 200) {
		p := docket.FieldIndex("category-map", i)
		value, sub := get(p+".value"), get(p+".subtype")
		if value == "" && sub == "" {
			continue
		}
		code, err := strconv.Atoi(sub)
		if value == "" || err != nil || sar.Subcategories[code] == "" {
			errs[p+".subtype"] = "Give both the value and its FinCEN category."
			continue
		}
		st.CategoryMap = append(st.CategoryMap, docket.SARCategoryMapping{Value: value, Type: sar.SubcategoryType(code), Subtype: code})
	}
	return st, errs
}
