package api_test

import (
	"net/http"
	"testing"
)

// TestIncludeNeedsReadPermission (issue 11, item 5): ?include shows what the included
// resources' own endpoints show, so it needs their read permission; a key without it
// gets a 403 naming the include parameter, on reads and writes alike, and a refused
// write writes nothing.
func TestIncludeNeedsReadPermission(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		h.must(http.StatusOK, "PATCH", "/accounts/"+vars["act"], `{"data":{"attributes":{"fields":{"name":"Jane Secret"}}}}`)
		vars["case"] = h.createCase(vars["tmpl"], `"fields":{"note":"mine"}`)
		h.must(http.StatusOK, "POST", "/cases/"+vars["case"]+"/add-objects", `{"meta":{"object-ids":["`+vars["act"]+`"]}}`)
		h.must(http.StatusOK, "POST", "/cases/"+vars["case"]+"/assign", `{"meta":{"user-email-address":"ada@example.com"}}`)
		vars["cases"] = "Bearer " + h.keyWithScopes("case.read", "case.write")
		vars["objects"] = "Bearer " + h.keyWithScopes("case.read", "object.read")
		refused := func(name, method, path, body, key string) step {
			return step{name: name, method: method, path: path, body: body, headers: []string{"Authorization", "{{" + key + "}}"},
				status: http.StatusForbidden, want: []string{`"parameter":"include"`}, not: []string{"Jane Secret", "ada@example.com"}}
		}
		h.scenario(t, vars, []step{
			refused("accounts by a case key", "GET", "/cases/{{case}}?include=accounts,assignee", "", "cases"),
			refused("assignee by a case key", "GET", "/cases/{{case}}?include=assignee", "", "cases"),
			refused("accounts in a list", "GET", "/cases?include=accounts", "", "cases"),
			refused("template without its scope", "GET", "/cases/{{case}}?include=case-template", "", "objects"),
			refused("camel-case name", "GET", "/cases/{{case}}?include=Accounts", "", "cases"),
			refused("search", "POST", "/cases/search?include=accounts", `{"query":{"attribute":"status","operator":"eq","value":"Open"}}`, "cases"),
			refused("write", "POST", "/cases?include=accounts", `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}}}`, "cases"),
			refused("user by an object key", "GET", "/cases/{{case}}?include=accounts,assignee", "", "objects"),
			{name: "comments need only case.read", method: "GET", path: "/cases/{{case}}?include=case-comments",
				headers: []string{"Authorization", "{{cases}}"}, status: http.StatusOK},
			{name: "accounts with object.read", method: "GET", path: "/cases/{{case}}?include=accounts",
				headers: []string{"Authorization", "{{objects}}"}, status: http.StatusOK, want: []string{"Jane Secret"}},
			{name: "no include", method: "GET", path: "/cases/{{case}}", headers: []string{"Authorization", "{{cases}}"},
				status: http.StatusOK, want: []string{`"accounts":{"data":[{"id":"{{act}}"`}, not: []string{"Jane Secret"}},
		})
		if n := h.caseCount(); n != 1 {
			t.Errorf("%d cases: the refused write created one", n)
		}
	})
}
