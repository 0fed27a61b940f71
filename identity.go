package docket

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Identity is who an account or an inquiry says a person is, with the hosted API's
// identity attributes (its names in the json tags). Every attribute is optional. The
// identifiers (social-security-number, identification-number and the numbers of
// identification-numbers) are shown in full only to principals with
// PermReadIdentifiers (Principal.ShowIdentity); everyone else, event snapshots and
// webhook payloads included, sees them masked (Masked).
type Identity struct {
	NameFirst            *string `json:"name-first,omitempty"`
	NameMiddle           *string `json:"name-middle,omitempty"`
	NameLast             *string `json:"name-last,omitempty"`
	Birthdate            *string `json:"birthdate,omitempty"`
	EmailAddress         *string `json:"email-address,omitempty"`
	PhoneNumber          *string `json:"phone-number,omitempty"`
	AddressStreet1       *string `json:"address-street-1,omitempty"`
	AddressStreet2       *string `json:"address-street-2,omitempty"`
	AddressCity          *string `json:"address-city,omitempty"`
	AddressSubdivision   *string `json:"address-subdivision,omitempty"`
	AddressPostalCode    *string `json:"address-postal-code,omitempty"`
	CountryCode          *string `json:"country-code,omitempty"`
	SocialSecurityNumber *string `json:"social-security-number,omitempty"`
	// IdentificationNumber is the one government id number an inquiry verified.
	IdentificationNumber *string `json:"identification-number,omitempty"`
	// IdentificationNumbers are an account's id documents (passport, visa, ...).
	IdentificationNumbers []IdentificationNumber `json:"identification-numbers,omitempty"`
}

// IdentificationNumber is one id document's number, as the hosted API lists them.
type IdentificationNumber struct {
	Class          string `json:"identification-class"`
	Number         string `json:"identification-number"`
	IssuingCountry string `json:"issuing-country,omitempty"`
}

// Limits on identity values.
const (
	MaxIdentityText          = 255
	MaxIdentifier            = 64
	MaxIdentificationNumbers = 20
)

// The kinds of identity values, which decide how each is checked and shown.
const (
	identityKindText       = ""
	identityKindDate       = "date"
	identityKindEmail      = "email"
	identityKindPhone      = "phone"
	identityKindCountry    = "country"
	identityKindIdentifier = "identifier"

	identificationNumbersAttr  = "identification-numbers"
	maxIdentificationClassText = 64
)

// identityAttr is one text attribute of an Identity: its name, the kind of value it
// holds, and where it lives.
type identityAttr struct {
	name string
	kind string
	at   func(*Identity) **string
}

// identityAttrs lists Identity's text attributes in the hosted API's order. Decoding,
// validation, rendering and masking all go through it.
var identityAttrs = []identityAttr{
	{"name-first", identityKindText, func(i *Identity) **string { return &i.NameFirst }},
	{"name-middle", identityKindText, func(i *Identity) **string { return &i.NameMiddle }},
	{"name-last", identityKindText, func(i *Identity) **string { return &i.NameLast }},
	{"birthdate", identityKindDate, func(i *Identity) **string { return &i.Birthdate }},
	{"email-address", identityKindEmail, func(i *Identity) **string { return &i.EmailAddress }},
	{"phone-number", identityKindPhone, func(i *Identity) **string { return &i.PhoneNumber }},
	{"address-street-1", identityKindText, func(i *Identity) **string { return &i.AddressStreet1 }},
	{"address-street-2", identityKindText, func(i *Identity) **string { return &i.AddressStreet2 }},
	{"address-city", identityKindText, func(i *Identity) **string { return &i.AddressCity }},
	{"address-subdivision", identityKindText, func(i *Identity) **string { return &i.AddressSubdivision }},
	{"address-postal-code", identityKindText, func(i *Identity) **string { return &i.AddressPostalCode }},
	{"country-code", identityKindCountry, func(i *Identity) **string { return &i.CountryCode }},
	{"social-security-number", identityKindIdentifier, func(i *Identity) **string { return &i.SocialSecurityNumber }},
	{"identification-number", identityKindIdentifier, func(i *Identity) **string { return &i.IdentificationNumber }},
}

// IdentityAttributes are the names of Identity's text attributes, in the hosted API's
// order; IdentificationNumbersAttribute names its list of id documents.
var IdentityAttributes = func() []string {
	out := make([]string, len(identityAttrs))
	for i, a := range identityAttrs {
		out[i] = a.name
	}
	return out
}()

// IdentificationNumbersAttribute is the attribute that holds an account's id documents.
const IdentificationNumbersAttribute = identificationNumbersAttr

// Attr returns where the text attribute named name lives, or nil for an unknown name.
func (id *Identity) Attr(name string) **string {
	for _, a := range identityAttrs {
		if a.name == name {
			return a.at(id)
		}
	}
	return nil
}

// IsIdentifier reports whether the text attribute named name is an identifier, shown
// masked to those who may not read identifiers.
func IsIdentifier(name string) bool {
	for _, a := range identityAttrs {
		if a.name == name {
			return a.kind == identityKindIdentifier
		}
	}
	return false
}

// Empty reports whether the identity holds nothing.
func (id Identity) Empty() bool {
	for _, a := range identityAttrs {
		if *a.at(&id) != nil {
			return false
		}
	}
	return len(id.IdentificationNumbers) == 0
}

// IdentityUpdate holds what a PATCH changes of an identity: the text attributes given
// (nil clears one) and, when not nil, the new list of id documents.
type IdentityUpdate struct {
	Texts                 map[string]*string
	IdentificationNumbers *[]IdentificationNumber
}

// Empty reports whether the update changes nothing.
func (u IdentityUpdate) Empty() bool { return len(u.Texts) == 0 && u.IdentificationNumbers == nil }

// Apply changes id as u says. Unknown attribute names are ignored (the API refuses
// them before).
func (id *Identity) Apply(u IdentityUpdate) {
	for name, v := range u.Texts {
		if p := id.Attr(name); p != nil {
			*p = v
		}
	}
	if u.IdentificationNumbers != nil {
		id.IdentificationNumbers = *u.IdentificationNumbers
	}
}

// Normalize trims values, drops empty ones and upper-cases country codes, so that what
// is stored compares and searches alike whatever the client sent.
func (id *Identity) Normalize() {
	for _, a := range identityAttrs {
		p := a.at(id)
		if *p == nil {
			continue
		}
		v := strings.TrimSpace(**p)
		if a.kind == identityKindCountry {
			v = strings.ToUpper(v)
		}
		if v == "" {
			*p = nil
		} else {
			*p = &v
		}
	}
	for i := range id.IdentificationNumbers {
		n := &id.IdentificationNumbers[i]
		n.Class, n.Number = strings.TrimSpace(n.Class), strings.TrimSpace(n.Number)
		n.IssuingCountry = strings.ToUpper(strings.TrimSpace(n.IssuingCountry))
	}
	if len(id.IdentificationNumbers) == 0 {
		id.IdentificationNumbers = nil
	}
}

// Validate checks a normalized identity at now (a birthdate may not be in the future);
// an error names the attribute at fault.
func (id *Identity) Validate(now time.Time) error {
	for _, a := range identityAttrs {
		if v := *a.at(id); v != nil {
			if err := checkIdentityValue(a, *v, now); err != nil {
				return err
			}
		}
	}
	if len(id.IdentificationNumbers) > MaxIdentificationNumbers {
		return Invalid(identificationNumbersAttr, "at most %d identification numbers", MaxIdentificationNumbers)
	}
	for i, n := range id.IdentificationNumbers {
		at := fmt.Sprintf("%s[%d].", identificationNumbersAttr, i)
		switch {
		case n.Class == "" || len(n.Class) > maxIdentificationClassText:
			return Invalid(at+"identification-class", "identification-class must be 1 to %d characters (visa, passport, ...)", maxIdentificationClassText)
		case !validIdentifier(n.Number):
			return Invalid(at+"identification-number", "identification-number must be 1 to %d letters, digits, spaces, - . or /", MaxIdentifier)
		case n.IssuingCountry != "" && !ValidCountryCode(n.IssuingCountry) && n.IssuingCountry != "UK":
			return Invalid(at+"issuing-country", "%q is not an ISO 3166-1 alpha-2 country code", n.IssuingCountry)
		}
	}
	return nil
}

func checkIdentityValue(a identityAttr, v string, now time.Time) error {
	if len(v) > MaxIdentityText {
		return Invalid(a.name, "%s must be at most %d characters", a.name, MaxIdentityText)
	}
	switch a.kind {
	case identityKindDate:
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return Invalid(a.name, "%s must be a date like 1994-04-12", a.name)
		}
		if d.After(now) || d.Year() < 1850 {
			return Invalid(a.name, "%s %s is not a plausible birth date", a.name, v)
		}
	case identityKindEmail:
		if !ValidEmail(v) {
			return Invalid(a.name, "%q is not an email address", v)
		}
	case identityKindPhone:
		if !validPhone(v) {
			return Invalid(a.name, "%s must hold 4 to 20 digits, with only spaces, + - ( ) . between them", a.name)
		}
	case identityKindCountry:
		if !ValidCountryCode(v) {
			return Invalid(a.name, "%q is not an ISO 3166-1 alpha-2 country code (US, GB, ...)", v)
		}
	case identityKindIdentifier:
		if !validIdentifier(v) {
			return Invalid(a.name, "%s must be 1 to %d letters, digits, spaces, - . or /", a.name, MaxIdentifier)
		}
	}
	return nil
}

func validPhone(v string) bool {
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().", r):
		default:
			return false
		}
	}
	return digits >= 4 && digits <= 20
}

func validIdentifier(v string) bool {
	if v == "" || len(v) > MaxIdentifier {
		return false
	}
	for _, r := range v {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -./", r) {
			return false
		}
	}
	return true
}

// Masked returns a copy of the identity with its identifiers masked (MaskIdentifier);
// the other attributes are shared with id.
func (id Identity) Masked() Identity {
	for _, a := range identityAttrs {
		if p := a.at(&id); a.kind == identityKindIdentifier && *p != nil {
			m := MaskIdentifier(**p)
			*p = &m
		}
	}
	if id.IdentificationNumbers != nil {
		nums := make([]IdentificationNumber, len(id.IdentificationNumbers))
		for i, n := range id.IdentificationNumbers {
			n.Number = MaskIdentifier(n.Number)
			nums[i] = n
		}
		id.IdentificationNumbers = nums
	}
	return id
}

// MaskIdentifier hides every letter and digit of an identifier but the last four with
// "*", keeping its separators: 123-45-6789 becomes ***-**-6789. One of four or fewer
// letters and digits is hidden whole, as its last four would be all of it.
func MaskIdentifier(v string) string {
	rs := []rune(v)
	keep := 0
	for i := len(rs) - 1; i >= 0; i-- {
		if unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) {
			keep++
		}
	}
	if keep <= 4 {
		keep = 0
	} else {
		keep = 4
	}
	for i := len(rs) - 1; i >= 0; i-- {
		if unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) {
			if keep > 0 {
				keep--
			} else {
				rs[i] = '*'
			}
		}
	}
	return string(rs)
}

// FullName is the person's names joined ("" if none).
func (id Identity) FullName() string {
	var parts []string
	for _, p := range []*string{id.NameFirst, id.NameMiddle, id.NameLast} {
		if p != nil {
			parts = append(parts, *p)
		}
	}
	return strings.Join(parts, " ")
}

// SearchName is the form of the person's first and last names that the case search box
// finds them by (SearchNameOf); "" if the identity holds neither.
func (id Identity) SearchName() string {
	var parts []string
	for _, p := range []*string{id.NameFirst, id.NameLast} {
		if p != nil {
			parts = append(parts, *p)
		}
	}
	return SearchNameOf(strings.Join(parts, " "))
}

// SearchNameOf normalizes a name for an exact, index-backed lookup: lower case, words
// separated by one space.
func SearchNameOf(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// ValidCountryCode reports whether s is an officially assigned ISO 3166-1 alpha-2 code,
// or XK (Kosovo, user-assigned but in general use).
func ValidCountryCode(s string) bool {
	return len(s) == 2 && strings.Contains(countryCodes, " "+s+" ")
}

// countryCodes are the officially assigned ISO 3166-1 alpha-2 codes, and XK.
const countryCodes = " AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ" +
	" CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR" +
	" GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP" +
	" KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT" +
	" MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW" +
	" SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ" +
	" UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW "
