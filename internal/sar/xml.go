package sar

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// Batch writes the FinCEN SAR batch file (form SARX) of the reports, filed on the date of
// now, as FinCEN's schema (testdata/fincen/EFL_SARXBatchSchema.xsd) defines it: elements
// in the fc2 namespace in the schema's order, SeqNum unique across the file, the root's
// counts and total amount computed from what is written. The reports must have passed
// Rules with settings: Batch writes what it is given.
func Batch(sars []*docket.SAR, settings *docket.SARSettings, now time.Time) ([]byte, error) {
	if len(sars) == 0 {
		return nil, docket.Errorf(docket.EInvalid, "a batch holds at least one SAR")
	}
	root := el("EFilingBatchXML")
	root.kids = append(root.kids, text("FormTypeCode", "SARX"))
	var total int64
	for _, s := range sars {
		root.kids = append(root.kids, activity(s, settings, now))
		if s.Report.Activity.Amount != nil {
			total += *s.Report.Activity.Amount
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, `<fc2:EFilingBatchXML xmlns:fc2="www.fincen.gov/base" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`+
		` xsi:schemaLocation="www.fincen.gov/base https://www.fincen.gov/base/EFL_SARXBatchSchema.xsd"`+
		` TotalAmount="%d" PartyCount="%d" ActivityCount="%d" ActivityAttachmentCount="0" AttachmentCount="0">`,
		total, root.count("Party"), len(sars))
	seq := 0
	for _, k := range root.kids {
		if err := k.write(&buf, &seq, 1); err != nil {
			return nil, err
		}
	}
	buf.WriteString("\n</fc2:EFilingBatchXML>\n")
	return buf.Bytes(), nil
}

// node is one element of the file; seq elements carry a SeqNum.
type node struct {
	name string
	seq  bool
	text string
	kids []*node
}

func el(name string, kids ...*node) *node { return &node{name: name, seq: true, kids: kids} }

// text is a value element; its text has its whitespace collapsed, as the schema's string
// types forbid leading, trailing and repeated spaces, tabs and line breaks.
func text(name, v string) *node { return &node{name: name, text: strings.Join(strings.Fields(v), " ")} }

// raw is a value element whose text is kept as it is (the narrative).
func raw(name, v string) *node { return &node{name: name, text: v} }

func yes(name string) *node { return text(name, "Y") }

// opt is the value element if v is not empty.
func opt(name, v string) []*node {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return []*node{text(name, v)}
}

func (n *node) count(name string) int {
	c := 0
	if n.name == name {
		c++
	}
	for _, k := range n.kids {
		c += k.count(name)
	}
	return c
}

func (n *node) write(buf *bytes.Buffer, seq *int, depth int) error {
	buf.WriteString("\n" + strings.Repeat("  ", depth) + "<fc2:" + n.name)
	if n.seq {
		*seq++
		fmt.Fprintf(buf, ` SeqNum="%d"`, *seq)
	}
	buf.WriteString(">")
	if len(n.kids) == 0 {
		if err := xml.EscapeText(buf, []byte(n.text)); err != nil {
			return err
		}
	}
	for _, k := range n.kids {
		if err := k.write(buf, seq, depth+1); err != nil {
			return err
		}
	}
	if len(n.kids) > 0 {
		buf.WriteString("\n" + strings.Repeat("  ", depth))
	}
	buf.WriteString("</fc2:" + n.name + ">")
	return nil
}

func activity(s *docket.SAR, st *docket.SARSettings, now time.Time) *node {
	a := el("Activity")
	a.kids = append(a.kids, opt("EFilingPriorDocumentNumber", s.Report.PriorDocumentNumber)...)
	a.kids = append(a.kids, text("FilingDateText", now.UTC().Format("20060102")))
	assoc := map[string]string{docket.SARInitial: "InitialReportIndicator", docket.SARContinuing: "ContinuingActivityReportIndicator",
		docket.SARCorrection: "CorrectsAmendsPriorReportIndicator"}[s.FilingType]
	if assoc == "" {
		assoc = "InitialReportIndicator"
	}
	a.kids = append(a.kids, el("ActivityAssociation", yes(assoc)))
	a.kids = append(a.kids, transmitter(st), transmitterContact(st), institution(st, "30"), contactOffice(st), institution(st, "34"))
	for _, sub := range s.Report.Subjects {
		a.kids = append(a.kids, subject(sub, st))
	}
	a.kids = append(a.kids, suspicious(s.Report.Activity))
	for i, part := range narrativeParts(s.Report.Narrative) {
		a.kids = append(a.kids, el("ActivityNarrativeInformation",
			text("ActivityNarrativeSequenceNumber", strconv.Itoa(i+1)), raw("ActivityNarrativeText", part)))
	}
	return a
}

func fullName(name string) *node {
	return el("PartyName", text("PartyNameTypeCode", "L"), text("RawPartyFullName", name))
}

func identification(number, code string) *node {
	return el("PartyIdentification", text("PartyIdentificationNumberText", number), text("PartyIdentificationTypeCode", code))
}

func phone(number string) *node { return el("PhoneNumber", text("PhoneNumberText", number)) }

func transmitter(st *docket.SARSettings) *node {
	t := st.Transmitter
	return el("Party", text("ActivityPartyTypeCode", "35"), fullName(t.Name), address(t.Address), phone(t.Phone),
		identification(t.TIN, "4"), identification(t.TCC, "28"))
}

func transmitterContact(st *docket.SARSettings) *node {
	return el("Party", text("ActivityPartyTypeCode", "37"), fullName(st.Transmitter.ContactName))
}

func contactOffice(st *docket.SARSettings) *node {
	return el("Party", text("ActivityPartyTypeCode", "8"), fullName(st.Contact.Office), phone(st.Contact.Phone))
}

// institution is the filing institution (30) or the institution where the activity
// occurred (34): Docket files for the institution whose cases it holds, so they are one.
func institution(st *docket.SARSettings, code string) *node {
	in := st.Institution
	p := el("Party", text("ActivityPartyTypeCode", code))
	if code == "34" {
		p.kids = append(p.kids, yes("NoBranchActivityInvolvedIndicator"))
	}
	p.kids = append(p.kids, text("PrimaryRegulatorTypeCode", in.Regulator), fullName(in.Name), address(in.Address),
		identification(in.EIN, "2"), el("OrganizationClassificationTypeSubtype", text("OrganizationTypeID", strconv.Itoa(in.Type))))
	return p
}

// address writes the parts known and marks the others unknown, in the schema's order.
func address(a docket.SARAddress) *node {
	n := el("Address")
	unknown := func(v, name string) {
		if strings.TrimSpace(v) == "" {
			n.kids = append(n.kids, yes(name))
		}
	}
	unknown(a.City, "CityUnknownIndicator")
	unknown(a.Country, "CountryCodeUnknownIndicator")
	n.kids = append(n.kids, opt("RawCityText", a.City)...)
	n.kids = append(n.kids, opt("RawCountryCodeText", a.Country)...)
	n.kids = append(n.kids, opt("RawStateCodeText", a.State)...)
	n.kids = append(n.kids, opt("RawStreetAddress1Text", a.Street)...)
	n.kids = append(n.kids, opt("RawZIPCode", strings.ReplaceAll(a.ZIP, "-", ""))...)
	unknown(a.State, "StateCodeUnknownIndicator")
	unknown(a.Street, "StreetAddressUnknownIndicator")
	unknown(a.ZIP, "ZIPCodeUnknownIndicator")
	return n
}

func subject(s docket.SARSubject, st *docket.SARSettings) *node {
	p := el("Party", text("ActivityPartyTypeCode", "33"))
	if s.BirthDate == "" || s.Entity {
		if !s.Entity {
			p.kids = append(p.kids, yes("BirthDateUnknownIndicator"))
		}
	} else {
		p.kids = append(p.kids, text("IndividualBirthDateText", strings.ReplaceAll(s.BirthDate, "-", "")))
	}
	if len(s.AccountNumbers) == 0 {
		p.kids = append(p.kids, yes("NoKnownAccountInvolvedIndicator"))
	}
	if s.Entity {
		p.kids = append(p.kids, yes("PartyAsEntityOrganizationIndicator"))
	} else {
		p.kids = append(p.kids, yes("UnknownGenderIndicator"))
	}
	name := el("PartyName")
	if !s.Entity && s.FirstName == "" {
		name.kids = append(name.kids, yes("FirstNameUnknownIndicator"))
	}
	name.kids = append(name.kids, text("PartyNameTypeCode", "L"), text("RawEntityIndividualLastName", s.LastName))
	if !s.Entity {
		name.kids = append(name.kids, opt("RawIndividualFirstName", s.FirstName)...)
		name.kids = append(name.kids, opt("RawIndividualMiddleName", s.MiddleName)...)
	}
	p.kids = append(p.kids, name, address(s.Address))
	for _, id := range s.Identifiers {
		n := el("PartyIdentification")
		n.kids = append(n.kids, opt("OtherIssuerCountryText", id.Country)...)
		n.kids = append(n.kids, opt("OtherIssuerStateText", id.State)...)
		if id.Type == "999" {
			n.kids = append(n.kids, text("OtherPartyIdentificationTypeText", "Other"))
		}
		n.kids = append(n.kids, text("PartyIdentificationNumberText", id.Number), text("PartyIdentificationTypeCode", id.Type))
		p.kids = append(p.kids, n)
	}
	if len(s.Identifiers) == 0 {
		p.kids = append(p.kids, el("PartyIdentification", yes("TINUnknownIndicator")))
	}
	if len(s.AccountNumbers) > 0 {
		inst := el("Party", text("ActivityPartyTypeCode", "41"), identification(st.Institution.EIN, "2"))
		for _, num := range s.AccountNumbers {
			inst.kids = append(inst.kids, el("Account", text("AccountNumberText", num),
				el("PartyAccountAssociation", text("PartyAccountAssociationTypeCode", "5"))))
		}
		p.kids = append(p.kids, el("PartyAccountAssociation", text("PartyAccountAssociationTypeCode", "7"), inst))
	}
	return p
}

func suspicious(a docket.SARActivity) *node {
	n := el("SuspiciousActivity")
	if a.AmountUnknown {
		n.kids = append(n.kids, yes("AmountUnknownIndicator"))
	}
	n.kids = append(n.kids, text("SuspiciousActivityFromDateText", strings.ReplaceAll(a.From, "-", "")))
	n.kids = append(n.kids, opt("SuspiciousActivityToDateText", strings.ReplaceAll(a.To, "-", ""))...)
	if a.Amount != nil {
		n.kids = append(n.kids, text("TotalSuspiciousAmountText", strconv.FormatInt(*a.Amount, 10)))
	}
	for _, c := range a.Categories {
		k := el("SuspiciousActivityClassification")
		if IsOther(c.Subtype) {
			k.kids = append(k.kids, text("OtherSuspiciousActivityTypeText", c.Other))
		}
		k.kids = append(k.kids, text("SuspiciousActivitySubtypeID", strconv.Itoa(c.Subtype)), text("SuspiciousActivityTypeID", strconv.Itoa(c.Type)))
		n.kids = append(n.kids, k)
	}
	return n
}

// narrativeParts splits the narrative into the schema's parts of at most 4,000
// characters, breaking at a space where one is near.
func narrativeParts(s string) []string {
	r := []rune(s)
	var out []string
	for len(r) > narrativePart {
		cut := narrativePart
		for i := narrativePart; i > narrativePart-200; i-- {
			if r[i] == ' ' {
				cut = i + 1
				break
			}
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return append(out, string(r))
}
