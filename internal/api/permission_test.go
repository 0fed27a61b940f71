package api_test

import (
	"context"
	"database/sql"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// userKey creates a user with the role and an API key that belongs to them, holding
// scopes, and returns the user's id and an Authorization header value.
func (h *harness) userKey(email, role string, scopes ...string) (string, string) {
	h.t.Helper()
	u := &docket.User{Email: email, Name: role, Role: role}
	if err := h.store.CreateUser(context.Background(), docket.Actor{Type: docket.ActorSystem, ID: "system"}, u); err != nil {
		h.t.Fatalf("create user: %v", err)
	}
	secret := docket.NewAPIKeySecret()
	if _, err := h.store.CreateUserAPIKey(context.Background(), u.ID, role, scopes, secret); err != nil {
		h.t.Fatalf("create user api key: %v", err)
	}
	return u.ID, "Bearer " + secret
}

// TestUserKeyRoles checks that a key that belongs to a user acts with the lesser of its
// scopes and the user's role, through the routes' permissions and the assignment rules.
func TestUserKeyRoles(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		vars := map[string]string{"tmpl": tmpl}
		auth := map[string]string{}
		for _, role := range docket.Roles {
			_, auth[role] = h.userKey(role+"@example.com", role, docket.ScopeAll)
		}
		_, auth["reader"] = h.userKey("reader@example.com", docket.RoleAdmin, docket.ScopeCaseRead)
		as := func(who string) []string { return []string{"Authorization", auth[who]} }
		newCase := `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}}}`
		assign := func(email string) string { return `{"meta":{"user-email-address":"` + email + `"}}` }
		queue := `{"data":{"attributes":{"name":"All","filter":{"case-template-ids":["{{tmpl}}"]}}}}`
		h.scenario(t, vars, []step{
			{name: "viewer reads", method: "GET", path: "/cases", headers: as("viewer"), status: 200},
			{name: "viewer reads events", method: "GET", path: "/events", headers: as("viewer"), status: 200},
			{name: "viewer may not create", method: "POST", path: "/cases", body: newCase, headers: as("viewer"), status: 403,
				want: []string{"this API key acts for a user with the viewer role, who may not work cases"}},
			{name: "reviewer creates", method: "POST", path: "/cases", body: newCase, headers: as("reviewer"), status: 201,
				save: map[string]string{"c1": "data.id"}},
			{name: "created by the key", method: "GET", path: "/cases/{{c1}}", status: 200, want: []string{`"creator-type":"api-key"`}},
			{name: "reviewer may not redact", method: "DELETE", path: "/cases/{{c1}}", headers: as("reviewer"), status: 403,
				want: []string{"who may not redact cases"}},
			{name: "reviewer may not give a case away", method: "POST", path: "/cases/{{c1}}/assign", body: assign("manager@example.com"),
				headers: as("reviewer"), status: 403, want: []string{"who may not assign others' cases"}},
			{name: "reviewer takes it", method: "POST", path: "/cases/{{c1}}/assign", body: assign("Reviewer@example.com"),
				headers: as("reviewer"), status: 200},
			{name: "manager reassigns it", method: "POST", path: "/cases/{{c1}}/assign", body: assign("viewer@example.com"),
				headers: as("manager"), status: 200},
			{name: "reviewer may not take another's case", method: "POST", path: "/cases/{{c1}}/assign",
				body: assign("reviewer@example.com"), headers: as("reviewer"), status: 403},
			{name: "reviewer may not unassign another", method: "POST", path: "/cases/{{c1}}/assign",
				body: `{"meta":{"user-email-address":null}}`, headers: as("reviewer"), status: 403},
			{name: "reviewer comments", method: "POST", path: "/cases/{{c1}}/comments",
				body: `{"meta":{"body":"ok"}}`, headers: as("reviewer"), status: 201},
			{name: "reviewer may not manage queues", method: "POST", path: "/case-queues", body: queue, headers: as("reviewer"), status: 403},
			{name: "manager manages queues", method: "POST", path: "/case-queues", body: queue, headers: as("manager"), status: 201,
				save: map[string]string{"q": "data.id"}},
			{name: "reviewer may not claim for another", method: "POST", path: "/case-queues/{{q}}/claim",
				body: assign("viewer@example.com"), headers: as("reviewer"), status: 403},
			{name: "reviewer creates another", method: "POST", path: "/cases", body: newCase, headers: as("reviewer"), status: 201,
				save: map[string]string{"c2": "data.id"}},
			{name: "reviewer claims for themselves", method: "POST", path: "/case-queues/{{q}}/claim", body: `{}`,
				headers: as("reviewer"), status: 200, want: []string{`"id":"{{c2}}"`}},
			{name: "reviewer gives up their own", method: "POST", path: "/cases/{{c2}}/assign",
				body: `{"meta":{"user-email-address":null}}`, headers: as("reviewer"), status: 200},
			{name: "reviewer may not manage templates", method: "POST", path: "/case-templates",
				body: `{"data":{"attributes":{"name":"x","key":"X"}}}`, headers: as("reviewer"), status: 403},
			{name: "manager may not redact", method: "DELETE", path: "/cases/{{c1}}", headers: as("manager"), status: 403},
			{name: "admin redacts", method: "DELETE", path: "/cases/{{c1}}", headers: as("admin"), status: 200},
			{name: "an admin's key with case.read only", method: "POST", path: "/cases", body: newCase, headers: as("reader"),
				status: 403, want: []string{"this API key lacks the case.write scope"}},
			{name: "an admin's key with case.read reads", method: "GET", path: "/cases", headers: as("reader"), status: 200},
		})
	})
}

// TestUserKeyNotifications checks that a person reaches only their own notifications.
func TestUserKeyNotifications(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		rita, ritaKey := h.userKey("rita@example.com", docket.RoleReviewer, docket.ScopeAll)
		sam, _ := h.userKey("sam@example.com", docket.RoleReviewer, docket.ScopeAll)
		_, adminKey := h.userKey("ada@example.com", docket.RoleAdmin, docket.ScopeAll)
		for _, tt := range []struct {
			user, auth string
			want       int
		}{
			{rita, ritaKey, 200},
			{sam, ritaKey, 403},
			{sam, adminKey, 200},
			{sam, "Bearer " + h.key, 200},
		} {
			if r := h.do("GET", "/users/"+tt.user+"/notifications", "", "Authorization", tt.auth); r.status != tt.want {
				t.Errorf("GET notifications of %s: %d, want %d\n%s", tt.user, r.status, tt.want, r.raw)
			}
		}
	})
}

// TestUserKeyVisibility checks that a template's visible-to-roles hides its cases from a
// key that belongs to a reviewer everywhere (lists, search, queue listing and claims,
// direct links, comments, events, related cases), while a key without a user sees them.
func TestUserKeyVisibility(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		_, rita := h.userKey("rita@example.com", docket.RoleReviewer, docket.ScopeAll)
		_, ada := h.userKey("ada@example.com", docket.RoleAdmin, docket.ScopeAll)
		unbound := "Bearer " + h.key
		open := h.createTemplate(`{"data":{"attributes":{"name":"KYC","key":"KYC"}}}`)
		secret := h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["admin"]}}}`)
		act := h.must(http.StatusCreated, "POST", "/accounts", `{"data":{"attributes":{"reference-id":"u-1"}}}`).str("data.id")
		mk := func(tmpl, meta string) string {
			body := `{"data":{"attributes":{"case-template-id":"` + tmpl + `"}},"meta":{"object-ids":["` + act + `"]` + meta + `}}`
			return h.must(http.StatusCreated, "POST", "/cases", body).str("data.id")
		}
		// The hidden case is the most urgent in the queue: a claim must pass it over.
		hidden := mk(secret, `,"sla-expires-in-seconds":60`)
		shown := mk(open, "")
		h.must(http.StatusCreated, "POST", "/cases/"+hidden+"/comments", `{"meta":{"body":"sensitive"}}`)
		q := h.must(http.StatusCreated, "POST", "/case-queues",
			`{"data":{"attributes":{"name":"All","filter":{"case-template-ids":["`+open+`","`+secret+`"]}}}}`).str("data.id")
		hiddenEvent := h.must(http.StatusOK, "GET", "/events?filter[object-id]="+hidden, "").ids()[0]
		missing := "case_01h455vb4pex5vsknk084sn02q"

		type check struct {
			name, method, path, body string
			status                   int
			has, lacks               []string // case ids the response must and must not name
		}
		for _, who := range []struct {
			name, auth string
			checks     []check
		}{
			{"reviewer's key", rita, []check{
				{"list", "GET", "/cases", "", 200, []string{shown}, []string{hidden}},
				{"list by template", "GET", "/cases?filter[case-template-id]=" + secret, "", 200, nil, []string{hidden}},
				{"queue list", "GET", "/cases?filter[case-queue-id]=" + q, "", 200, []string{shown}, []string{hidden}},
				{"search", "POST", "/cases/search", `{}`, 200, []string{shown}, []string{hidden}},
				{"direct link", "GET", "/cases/" + hidden, "", 404, []string{"case " + hidden + " not found"}, nil},
				{"comments", "GET", "/cases/" + hidden + "/comments", "", 404, nil, []string{"sensitive"}},
				{"comment on it", "POST", "/cases/" + hidden + "/comments", `{"meta":{"body":"x"}}`, 404, nil, nil},
				{"change it", "POST", "/cases/" + hidden + "/set-status", `{"meta":{"status":"Approved"}}`, 404, nil, nil},
				{"events", "GET", "/events?page[size]=100", "", 200, []string{shown}, []string{hidden, "sensitive"}},
				{"events of it", "GET", "/events?filter[object-id]=" + hidden, "", 200, nil, []string{hidden}},
				{"one event", "GET", "/events/" + hiddenEvent, "", 404, nil, []string{hidden}},
				{"related cases", "GET", "/cases/" + shown, "", 200, nil, []string{hidden}},
				{"account's cases", "GET", "/accounts/" + act, "", 200, []string{shown}, []string{hidden}},
				{"templates", "GET", "/case-templates", "", 200, []string{open}, []string{secret}},
				{"the hidden template", "GET", "/case-templates/" + secret, "", 404, nil, []string{`"SAR"`}},
			}},
			{"key without a user", unbound, []check{
				{"list", "GET", "/cases", "", 200, []string{shown, hidden}, nil},
				{"queue list", "GET", "/cases?filter[case-queue-id]=" + q, "", 200, []string{shown, hidden}, nil},
				{"search", "POST", "/cases/search", `{}`, 200, []string{shown, hidden}, nil},
				{"direct link", "GET", "/cases/" + hidden, "", 200, []string{hidden}, nil},
				{"comments", "GET", "/cases/" + hidden + "/comments", "", 200, []string{"sensitive"}, nil},
				{"events", "GET", "/events?page[size]=100", "", 200, []string{shown, hidden, "sensitive"}, nil},
				{"one event", "GET", "/events/" + hiddenEvent, "", 200, []string{hidden}, nil},
				{"related cases", "GET", "/cases/" + shown, "", 200, []string{hidden}, nil},
				{"account's cases", "GET", "/accounts/" + act, "", 200, []string{shown, hidden}, nil},
				{"templates", "GET", "/case-templates", "", 200, []string{open, secret}, nil},
				{"the hidden template", "GET", "/case-templates/" + secret, "", 200, []string{secret}, nil},
			}},
			{"admin's key", ada, []check{
				{"list", "GET", "/cases", "", 200, []string{shown, hidden}, nil},
				{"direct link", "GET", "/cases/" + hidden, "", 200, []string{hidden}, nil},
			}},
		} {
			for _, c := range who.checks {
				r := h.do(c.method, c.path, c.body, "Authorization", who.auth)
				if r.status != c.status {
					t.Errorf("%s: %s: %d, want %d\n%s", who.name, c.name, r.status, c.status, r.raw)
				}
				for _, s := range c.has {
					if !strings.Contains(r.raw, s) {
						t.Errorf("%s: %s lacks %s\n%s", who.name, c.name, s, r.raw)
					}
				}
				for _, s := range c.lacks {
					if strings.Contains(r.raw, s) {
						t.Errorf("%s: %s shows %s\n%s", who.name, c.name, s, r.raw)
					}
				}
			}
		}
		// A hidden case looks exactly like a missing one.
		gone := h.do("GET", "/cases/"+missing, "", "Authorization", rita)
		hid := h.do("GET", "/cases/"+hidden, "", "Authorization", rita)
		if gone.str("errors.0.title") != hid.str("errors.0.title") || hid.str("errors.0.status") != gone.str("errors.0.status") {
			t.Errorf("hidden %s and missing %s differ", hid.raw, gone.raw)
		}

		// Claims: the reviewer's key gets the visible case, then an empty queue; the
		// key without a user hands the hidden case to the admin.
		r := h.must(http.StatusOK, "POST", "/case-queues/"+q+"/claim", `{}`, "Authorization", rita)
		if r.str("data.id") != shown {
			t.Fatalf("reviewer claimed %s, want %s", r.str("data.id"), shown)
		}
		r = h.must(http.StatusOK, "POST", "/case-queues/"+q+"/claim", `{}`, "Authorization", rita)
		if get(r.doc, "meta.queue-empty") != true || r.str("data.id") != "" {
			t.Fatalf("reviewer's second claim: %s", r.raw)
		}
		r = h.must(http.StatusOK, "POST", "/case-queues/"+q+"/claim", `{"meta":{"user-email-address":"rita@example.com"}}`)
		if get(r.doc, "meta.queue-empty") != true {
			t.Fatalf("a key without a user handed the reviewer a hidden case: %s", r.raw)
		}
		r = h.must(http.StatusOK, "POST", "/case-queues/"+q+"/claim", `{"meta":{"user-email-address":"ada@example.com"}}`)
		if r.str("data.id") != hidden {
			t.Fatalf("admin claimed %s, want %s", r.str("data.id"), hidden)
		}
		if ids := h.must(http.StatusOK, "GET", "/cases?filter[case-template-id]="+secret, "", "Authorization", ada).ids(); !slices.Equal(ids, []string{hidden}) {
			t.Fatalf("admin's list of the secret template: %v", ids)
		}
	})
}

// TestUserKeyWithoutUser checks that a key whose user is gone is refused rather than
// acting as a key that belongs to nobody. Users cannot be deleted through Docket (the
// foreign key forbids it), so the test removes the row behind the store's back.
func TestUserKeyWithoutUser(t *testing.T) {
	t.Parallel()
	dbURL := storetest.SQLiteURL(t)
	h := newHarness(t, dbURL, testConfig())
	uid, key := h.userKey("rita@example.com", docket.RoleAdmin, docket.ScopeAll)
	db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dbURL, "sqlite:")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DELETE FROM users WHERE id = ?`, uid); err != nil {
		t.Fatal(err)
	}
	r := h.do("GET", "/cases", "", "Authorization", key)
	if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "its user no longer exists") {
		t.Fatalf("key of a deleted user: %d %s", r.status, r.raw)
	}
}
