package api_test

import (
	"testing"

	"github.com/docket-hq/docket"
)

// janeDoe is an account create with every identity attribute, in the hosted API's words.
const janeDoe = `{"data":{"attributes":{"reference-id":"jane-1","name-first":"Jane","name-middle":"Marie","name-last":"Doe",
	"birthdate":"1994-12-30","email-address":"jane@doe.com","phone-number":"111-222-3333","address-street-1":"123 Main St",
	"address-street-2":null,"address-city":"San Francisco","address-subdivision":"California","address-postal-code":"94111",
	"country-code":"us","social-security-number":"123-45-6789",
	"identification-numbers":[{"identification-class":"visa","identification-number":"12345678","issuing-country":"US"}]}}}`

func TestAccountIdentity(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		reader := "Bearer " + h.keyWithScopes(docket.ScopeObjectRead, docket.ScopeCaseRead, docket.ScopeCaseWrite)
		// A person's key acts with the lesser of its scopes and the role: a reviewer's key
		// with every scope still sees identifiers masked, a manager's in full.
		_, reviewer := h.userKey("rev@example.com", docket.RoleReviewer, docket.ScopeAll)
		_, manager := h.userKey("man@example.com", docket.RoleManager, docket.ScopeAll)
		vars := map[string]string{"tmpl": h.createTemplate("")}
		h.scenario(t, vars, []step{
			{name: "create with identity", method: "POST", path: "/accounts", body: janeDoe, status: 201,
				save: map[string]string{"act": "data.id"},
				want: []string{`"name-first":"Jane"`, `"name-middle":"Marie"`, `"name-last":"Doe"`, `"birthdate":"1994-12-30"`,
					`"email-address":"jane@doe.com"`, `"phone-number":"111-222-3333"`, `"address-street-1":"123 Main St"`,
					`"address-street-2":null`, `"address-city":"San Francisco"`, `"address-subdivision":"California"`,
					`"address-postal-code":"94111"`, `"country-code":"US"`, `"social-security-number":"123-45-6789"`,
					`"identification-numbers":{"visa":[{"identification-class":"visa","identification-number":"12345678","issuing-country":"US"}]}`}},
			{name: "get in full with identifier.read", method: "GET", path: "/accounts/{{act}}", status: 200,
				want: []string{`"social-security-number":"123-45-6789"`, `"identification-number":"12345678"`}},
			{name: "get masked without identifier.read", method: "GET", path: "/accounts/{{act}}", headers: []string{"Authorization", reader},
				status: 200, want: []string{`"social-security-number":"***-**-6789"`, `"identification-number":"****5678"`, `"name-first":"Jane"`},
				not: []string{"123-45-6789", "12345678"}},
			{name: "masked for a reviewer", method: "GET", path: "/accounts/{{act}}", headers: []string{"Authorization", reviewer},
				status: 200, want: []string{`"social-security-number":"***-**-6789"`}, not: []string{"123-45-6789"}},
			{name: "in full for a manager", method: "GET", path: "/accounts/{{act}}", headers: []string{"Authorization", manager},
				status: 200, want: []string{`"social-security-number":"123-45-6789"`}},
			{name: "list masked without identifier.read", method: "GET", path: "/accounts", headers: []string{"Authorization", reader},
				status: 200, want: []string{`"social-security-number":"***-**-6789"`}, not: []string{"123-45-6789"}},
			{name: "update", method: "PATCH", path: "/accounts/{{act}}",
				body:   `{"data":{"attributes":{"name-middle":null,"phone-number":"+47 22 33 44 55","country-code":"no"}}}`,
				status: 200, want: []string{`"name-middle":null`, `"phone-number":"+47 22 33 44 55"`, `"country-code":"NO"`, `"name-first":"Jane"`}},
			{name: "identity back in the hosted list form", method: "PATCH", path: "/accounts/{{act}}",
				body: `{"data":{"attributes":{"identification-numbers":{"passport":[{"identification-number":"P1234567",
					"issuing-country":"UK","created-at":"2023-09-23T00:22:09.934Z"}]}}}}`,
				status: 200, want: []string{`"identification-numbers":{"passport":[{"identification-class":"passport","identification-number":"P1234567","issuing-country":"UK"}]}`}},
			{name: "events keep identifiers masked", method: "GET", path: "/events?filter[object-id]={{act}}", status: 200,
				want: []string{`"name":"account.created"`, `***-**-6789`}, not: []string{"123-45-6789", `"12345678"`, "P1234567"}},
			{name: "case with the account, included", method: "POST", path: "/cases?include=accounts", headers: []string{"Authorization", reader},
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{act}}"]}}`,
				status: 201, save: map[string]string{"case": "data.id"},
				want: []string{`"included":[`, `"type":"account"`, `"social-security-number":"***-**-6789"`}, not: []string{"123-45-6789"}},
			{name: "search box finds the person by name", method: "GET", path: "/cases?filter[q]=jane%20%20DOE", status: 200,
				want: []string{`"id":"{{case}}"`}},
			{name: "a middle name is not part of the searched name", method: "GET", path: "/cases?filter[q]=Jane%20Marie%20Doe", status: 200,
				not: []string{`"id":"{{case}}"`}},
			{name: "redact", method: "DELETE", path: "/accounts/{{act}}", status: 200,
				want: []string{`"name-first":null`, `"social-security-number":null`, `"birthdate":null`, `"identification-numbers":{}`},
				not:  []string{"Jane", "Doe", "6789"}},
			{name: "redacted events hold no identity", method: "GET", path: "/events?filter[object-id]={{act}}", status: 200,
				want: []string{`"name":"account.redacted"`}, not: []string{"Jane", "Doe", "6789", "San Francisco"}},
			{name: "search box no longer finds the person", method: "GET", path: "/cases?filter[q]=jane%20doe", status: 200,
				not: []string{`"id":"{{case}}"`}},
		})
	})
}

func TestAccountIdentityValidation(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		attrs := func(a string) string { return `{"data":{"attributes":{` + a + `}}}` }
		cases := []struct{ name, attrs, pointer string }{
			{"birthdate not a date", `"birthdate":"1994-13-01"`, "/data/attributes/birthdate"},
			{"birthdate in the future", `"birthdate":"2999-01-01"`, "/data/attributes/birthdate"},
			{"birthdate in another format", `"birthdate":"12/30/1994"`, "/data/attributes/birthdate"},
			{"unknown country", `"country-code":"XX"`, "/data/attributes/country-code"},
			{"country name", `"country-code":"USA"`, "/data/attributes/country-code"},
			{"email", `"email-address":"jane at doe"`, "/data/attributes/email-address"},
			{"phone", `"phone-number":"call me"`, "/data/attributes/phone-number"},
			{"identifier", `"social-security-number":"123<45>6789"`, "/data/attributes/social-security-number"},
			{"id document country", `"identification-numbers":[{"identification-class":"visa","identification-number":"1","issuing-country":"ZZ"}]`,
				"/data/attributes/identification-numbers/0/issuing-country"},
			{"id document without a number", `"identification-numbers":[{"identification-class":"visa"}]`,
				"/data/attributes/identification-numbers/0/identification-number"},
			{"id document unknown member", `"identification-numbers":[{"identification-class":"visa","number":"1"}]`,
				"/data/attributes/identification-numbers/0"},
			{"name not text", `"name-first":5`, "/data/attributes/name-first"},
		}
		for _, c := range cases {
			r := h.do("POST", "/accounts", attrs(c.attrs))
			if r.status != 422 && r.status != 400 {
				t.Errorf("%s: status %d, want 422 or 400\n%s", c.name, r.status, r.raw)
			}
			if got := get(r.doc, "errors.0.source.pointer"); got != c.pointer {
				t.Errorf("%s: pointer %v, want %s\n%s", c.name, got, c.pointer, r.raw)
			}
		}
		// Nothing refused was written.
		if n := len(h.must(200, "GET", "/accounts", "").list("data")); n != 0 {
			t.Errorf("%d accounts after refused creates, want none", n)
		}
		act := h.must(201, "POST", "/accounts", attrs(`"name-first":"Ann"`)).str("data.id")
		r := h.do("PATCH", "/accounts/"+act, attrs(`"name-first":"Bea","birthdate":"1994-02-30"`))
		if r.status != 422 || get(r.doc, "errors.0.source.pointer") != "/data/attributes/birthdate" {
			t.Errorf("bad update: status %d\n%s", r.status, r.raw)
		}
		if got := h.must(200, "GET", "/accounts/"+act, "").str("data.attributes.name-first"); got != "Ann" {
			t.Errorf("a refused update changed name-first to %q", got)
		}
	})
}
