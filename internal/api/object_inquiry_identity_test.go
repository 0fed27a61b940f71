package api_test

import (
	"testing"

	"github.com/docket-hq/docket"
)

func TestInquiryIdentityAndTemplates(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		reader := "Bearer " + h.keyWithScopes(docket.ScopeObjectRead)
		h.scenario(t, map[string]string{}, []step{
			{name: "create as the hosted API's clients do", method: "POST", path: "/inquiries",
				body: `{"data":{"attributes":{"inquiry-template-id":"itmpl_ABC123","template-id":"tmpl_XYZ","name-last":"Smith",
					"fields":{"name_first":"Ann","birthdate":{"type":"date","value":"1990-01-02"},"social_security_number":"987-65-4321",
					"address_country_code":"se","favourite":"tea"}}}}`,
				status: 201, save: map[string]string{"inq": "data.id"},
				want: []string{`"inquiry-template-id":"itmpl_ABC123"`, `"template-id":"tmpl_XYZ"`, `"inquiry-template-version-id":null`,
					`"inquiry-template":{"data":{"id":"itmpl_ABC123","type":"inquiry-template"}}`,
					`"name-first":"Ann"`, `"name-last":"Smith"`, `"birthdate":"1990-01-02"`, `"country-code":"SE"`, `"address-country-code":"SE"`,
					`"social-security-number":"987-65-4321"`, `"favourite":{"type":"string","value":"tea"}`},
				not: []string{`"social_security_number"`}},
			{name: "another template", method: "POST", path: "/inquiries",
				body:   `{"data":{"attributes":{"inquiry-template-version-id":"itmplv_V1"}}}`,
				status: 201, save: map[string]string{"inq2": "data.id"}, want: []string{`"inquiry-template-version-id":"itmplv_V1"`}},
			{name: "filter by template", method: "GET", path: "/inquiries?filter[inquiry-template-id]=itmpl_ABC123", status: 200,
				want: []string{`"id":"{{inq}}"`}, not: []string{`"id":"{{inq2}}"`}},
			{name: "masked without identifier.read", method: "GET", path: "/inquiries/{{inq}}", headers: []string{"Authorization", reader},
				status: 200, want: []string{`"social-security-number":"***-**-4321"`}, not: []string{"987-65-4321"}},
			{name: "template id in the wrong attribute", method: "POST", path: "/inquiries",
				body: `{"data":{"attributes":{"inquiry-template-id":"tmpl_XYZ"}}}`, status: 422,
				want: []string{`"pointer":"/data/attributes/inquiry-template-id"`}},
			{name: "bad birthdate in fields points into fields", method: "POST", path: "/inquiries",
				body: `{"data":{"attributes":{"fields":{"birthdate":"1990-02-31"}}}}`, status: 422,
				want: []string{`"pointer":"/data/attributes/fields/birthdate"`}},
			{name: "update identity", method: "PATCH", path: "/inquiries/{{inq}}",
				body:   `{"data":{"attributes":{"email-address":"ann@example.com","fields":{"name-first":"Anna"}}}}`,
				status: 200, want: []string{`"email-address":"ann@example.com"`, `"name-first":"Anna"`, `"name-last":"Smith"`}},
			{name: "events keep identifiers masked", method: "GET", path: "/events?filter[object-id]={{inq}}", status: 200,
				want: []string{`***-**-4321`}, not: []string{"987-65-4321"}},
			{name: "redact", method: "DELETE", path: "/inquiries/{{inq}}", status: 200,
				want: []string{`"name-first":null`, `"social-security-number":null`, `"inquiry-template-id":"itmpl_ABC123"`},
				not:  []string{"Anna", "Smith", "4321"}},
			{name: "redacted events hold no identity", method: "GET", path: "/events?filter[object-id]={{inq}}", status: 200,
				not: []string{"Anna", "Smith", "4321", "1990-01-02"}},
		})
	})
}
