package api

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// identityKeys are the identity attributes an account or inquiry request may hold.
var identityKeys = append(slices.Clone(docket.IdentityAttributes), docket.IdentificationNumbersAttribute)

// readIdentity reads the identity attributes g holds: each given text attribute (null
// clears it) and, if given, the list of id documents.
func readIdentity(g getter) (docket.IdentityUpdate, error) {
	u := docket.IdentityUpdate{Texts: map[string]*string{}}
	for _, name := range docket.IdentityAttributes {
		if !g.has(name) {
			continue
		}
		v, err := g.nullableStr(name)
		if err != nil {
			return u, err
		}
		u.Texts[name] = v
	}
	if g.has(docket.IdentificationNumbersAttribute) {
		nums, err := readIdentificationNumbers(g)
		if err != nil {
			return u, err
		}
		u.IdentificationNumbers = &nums
	}
	return u, nil
}

// readIdentificationNumbers reads identification-numbers as a list of
// {identification-class, identification-number, issuing-country}, or in the form the
// hosted API shows it, an object of such lists by class, so that a client may send back
// what it read. null is an empty list.
func readIdentificationNumbers(g getter) ([]docket.IdentificationNumber, error) {
	key := docket.IdentificationNumbersAttribute
	var nums []docket.IdentificationNumber
	byClass, isObject := g.m[key].(obj)
	if !isObject {
		return nums, g.into(key, &nums)
	}
	for _, class := range slices.Sorted(maps.Keys(byClass)) {
		var list []identificationShown
		if err := (getter{byClass, g.ptr(key)}).into(class, &list); err != nil {
			return nil, err
		}
		for _, n := range list {
			if n.Class == "" {
				n.Class = class
			}
			nums = append(nums, docket.IdentificationNumber{Class: n.Class, Number: n.Number, IssuingCountry: n.IssuingCountry})
		}
	}
	return nums, nil
}

// identificationShown is one id document as the hosted API shows it, times included.
type identificationShown struct {
	Class          string `json:"identification-class"`
	Number         string `json:"identification-number"`
	IssuingCountry string `json:"issuing-country"`
	CreatedAt      string `json:"created-at"`
	UpdatedAt      string `json:"updated-at"`
}

// fieldIdentity lifts the identity an inquiry's fields carry, as the hosted API's
// clients send it (fields.name-first, or fields.name_first as its templates name them),
// into u where the request does not give the attribute itself. Identifiers leave fields
// altogether, so that they are kept, and masked, in one place; the other values stay in
// fields too, where workflow conditions read them (trigger.fields.birthdate). A value
// that is not text stays a plain field. A lifted value is checked here, so that a
// refusal points into fields, where the client put it.
func fieldIdentity(fields map[string]any, u *docket.IdentityUpdate) error {
	for _, name := range docket.IdentityAttributes {
		keys := []string{name, strings.ReplaceAll(name, "-", "_")}
		if name == "country-code" { // what the hosted API calls an inquiry's country
			keys = append(keys, "address-country-code", "address_country_code")
		}
		for _, key := range keys {
			v, ok := fields[key]
			s, isText := v.(string)
			if !ok || (v != nil && !isText) {
				continue
			}
			if _, given := u.Texts[name]; !given {
				if err := checkFieldIdentity(name, key, v, s); err != nil {
					return err
				}
				u.Texts[name] = nil
				if v != nil {
					u.Texts[name] = &s
				}
			}
			if docket.IsIdentifier(name) {
				delete(fields, key)
			}
		}
	}
	return nil
}

// checkFieldIdentity checks a value fields.key gives for the identity attribute name.
func checkFieldIdentity(name, key string, v any, s string) error {
	if v == nil {
		return nil
	}
	var id docket.Identity
	*id.Attr(name) = &s
	id.Normalize()
	err := id.Validate(time.Now())
	var e *docket.Error
	if errors.As(err, &e) {
		e.Field = docket.FieldKey("fields", key)
	}
	return err
}

// shownAccount is the account as the request's principal may see it (ShowIdentity).
func shownAccount(r *http.Request, a *docket.Account) *docket.Account {
	c := *a
	c.Identity = principal(r).ShowIdentity(a.Identity)
	return &c
}

// shownInquiry is the inquiry as the request's principal may see it.
func shownInquiry(r *http.Request, q *docket.Inquiry) *docket.Inquiry {
	c := *q
	c.Identity = principal(r).ShowIdentity(q.Identity)
	return &c
}

// showIdentities replaces the accounts and inquiries of case details with what the
// request's principal may see of them.
func showIdentities(r *http.Request, details []*docket.CaseDetail) {
	for _, d := range details {
		for i, a := range d.Accounts {
			d.Accounts[i] = shownAccount(r, a)
		}
		for i, q := range d.Inquiries {
			d.Inquiries[i] = shownInquiry(r, q)
		}
	}
}
