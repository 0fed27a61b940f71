package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// TestNotificationEndpoints drives GET /users/{id}/notifications and POST
// /users/{id}/notifications/{id}/read: what a notification looks like, paging, the unread
// filter, marking read (twice), and the errors.
func TestNotificationEndpoints(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		ada := h.must(201, "POST", "/users", `{"data":{"attributes":{"email-address":"ada@example.com","role":"reviewer"}}}`).str("data.id")
		bob := h.must(201, "POST", "/users", `{"data":{"attributes":{"email-address":"bob@example.com","role":"reviewer"}}}`).str("data.id")
		tmpl := h.createTemplate(`{"data":{"attributes":{"name":"KYC review","key":"KYC",
			"notification-policy":{"emails":["ada@example.com","outside@example.org"]}}}}`)
		caseID := h.createCase(tmpl, "")
		h.must(201, "POST", "/cases/"+caseID+"/comments", `{"meta":{"body":"@ada@example.com and @bob@example.com, see this"}}`)
		h.must(200, "POST", "/cases/"+caseID+"/assign", `{"meta":{"user-email-address":"ada@example.com"}}`)

		// ada: case created, mentioned, assigned (newest first).
		r := h.must(200, "GET", "/users/"+ada+"/notifications", "")
		items := r.list("data")
		if len(items) != 3 {
			t.Fatalf("ada has %d notifications, want 3\n%s", len(items), r.raw)
		}
		var kinds []string
		for _, it := range items {
			kinds = append(kinds, get(it, "attributes.kind").(string))
			if get(it, "type") != "notification" || !docket.ValidID(docket.PrefixNotification, get(it, "id").(string)) {
				t.Fatalf("resource %v", it)
			}
			if get(it, "attributes.read-at") != nil || get(it, "attributes.emailed-at") != nil ||
				get(it, "attributes.email-address") != "ada@example.com" || get(it, "attributes.created-at") == nil {
				t.Fatalf("attributes %v", get(it, "attributes"))
			}
			if get(it, "relationships.user.data.id") != ada || get(it, "relationships.case.data.id") != caseID {
				t.Fatalf("relationships %v", get(it, "relationships"))
			}
		}
		if got := strings.Join(kinds, ","); got != "case-assigned,comment-mention,case-created" {
			t.Fatalf("kinds %s", got)
		}
		if s := get(items[0], "attributes.subject").(string); s != "[Docket] KYC-1 is assigned to you" {
			t.Fatalf("subject %q", s)
		}
		if b := get(items[1], "attributes.body").(string); b != "@ada@example.com and @bob@example.com, see this" {
			t.Fatalf("mention body %q", b)
		}
		ids := r.ids()

		// Paging: two, then one, following links.next.
		p1 := h.must(200, "GET", "/users/"+ada+"/notifications?page[size]=2", "")
		next := p1.str("links.next")
		if got := p1.ids(); len(got) != 2 || got[0] != ids[0] || next == "" {
			t.Fatalf("first page %v, next %q", got, next)
		}
		p2 := h.must(200, "GET", next, "")
		if got := p2.ids(); len(got) != 1 || got[0] != ids[2] || p2.str("links.next") != "" {
			t.Fatalf("second page %v\n%s", got, p2.raw)
		}

		// Read the mention; read it again; the unread filter leaves the other two.
		read := h.must(200, "POST", "/users/"+ada+"/notifications/"+ids[1]+"/read", "")
		readAt := read.str("data.attributes.read-at")
		if read.str("data.id") != ids[1] || readAt == "" {
			t.Fatalf("read: %s", read.raw)
		}
		again := h.must(200, "POST", "/users/"+ada+"/notifications/"+ids[1]+"/read", "")
		if again.str("data.attributes.read-at") != readAt {
			t.Fatalf("reading again changed read-at: %s, was %s", again.str("data.attributes.read-at"), readAt)
		}
		for _, v := range []string{"true", "false", ""} {
			want := ids
			if v == "true" {
				want = []string{ids[0], ids[2]}
			}
			got := h.must(200, "GET", "/users/"+ada+"/notifications?filter[unread]="+v, "").ids()
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("filter[unread]=%s: %v, want %v", v, got, want)
			}
		}
		// The unread filter is kept in paging links.
		up := h.must(200, "GET", "/users/"+ada+"/notifications?filter[unread]=true&page[size]=1", "")
		if n := up.str("links.next"); !strings.Contains(n, "filter%5Bunread%5D=true") {
			t.Fatalf("links.next %q dropped the filter", n)
		}

		bobs := h.must(200, "GET", "/users/"+bob+"/notifications", "").ids()
		if len(bobs) != 1 {
			t.Fatalf("bob has %v", bobs)
		}
		unknownUser := docket.NewID(docket.PrefixUser)
		unknownNtf := docket.NewID(docket.PrefixNotification)
		h.scenario(t, map[string]string{}, []step{
			{name: "unknown user", method: "GET", path: "/users/" + unknownUser + "/notifications", status: 404},
			{name: "not an id", method: "GET", path: "/users/nobody/notifications", status: 404},
			{name: "bad unread filter", method: "GET", path: "/users/" + ada + "/notifications?filter[unread]=yes", status: 400,
				want: []string{`"parameter":"filter[unread]"`}},
			{name: "bad unread filter, unknown user", method: "GET", path: "/users/" + unknownUser + "/notifications?filter[unread]=1", status: 400},
			{name: "bad cursor", method: "GET", path: "/users/" + ada + "/notifications?page[after]=" + caseID, status: 400,
				want: []string{`"parameter":"page[after]"`}},
			{name: "another user's notification", method: "POST", path: "/users/" + ada + "/notifications/" + bobs[0] + "/read", status: 404},
			{name: "unknown notification", method: "POST", path: "/users/" + ada + "/notifications/" + unknownNtf + "/read", status: 404},
			{name: "unknown user reads", method: "POST", path: "/users/" + unknownUser + "/notifications/" + ids[0] + "/read", status: 404},
		})
		if got := h.must(200, "GET", "/users/"+bob+"/notifications?filter[unread]=true", "").ids(); len(got) != 1 {
			t.Fatalf("bob's notification was marked read through ada: unread %v", got)
		}

		// Scopes: reading needs user:read, marking read user:write.
		readOnly := h.keyWithScopes(docket.ScopeUserRead)
		h.must(200, "GET", "/users/"+ada+"/notifications", "", "Authorization", "Bearer "+readOnly)
		h.must(http.StatusForbidden, "POST", "/users/"+ada+"/notifications/"+ids[0]+"/read", "", "Authorization", "Bearer "+readOnly)
		other := h.keyWithScopes(docket.ScopeCaseRead)
		h.must(http.StatusForbidden, "GET", fmt.Sprintf("/users/%s/notifications", ada), "", "Authorization", "Bearer "+other)
	})
}
