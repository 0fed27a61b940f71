package ui_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAdminAuditPermissions: the audit pages, their POST and downloads are an
// auditor's (PermAudit: admins); reviewers, viewers and managers get the 403 page, and
// the case page links to "who opened this case" only for auditors.
func TestAdminAuditPermissions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		gets := []string{"/admin/audit", "/admin/audit?object-id=" + w.c.ID, "/admin/audit/chain", "/admin/audit/anchor", "/admin/audit/export"}
		for _, u := range []*docket.User{w.ada, w.vc, w.max} {
			b := w.as(u)
			for _, path := range gets {
				b.get(path).want(t, http.StatusForbidden, "may not read the audit trail")
			}
			b.submit("/", "/admin/audit/chain/verify").want(t, http.StatusForbidden, "may not read the audit trail")
			b.get(w.path("")).lacks(t, "Who opened this case", "/admin/audit")
		}
		root := w.as(w.root)
		for _, path := range gets {
			root.get(path).want(t, http.StatusOK)
		}
		root.get("/admin").want(t, http.StatusOK, `href="/admin/audit"`)
		root.get(w.path("")).want(t, http.StatusOK, "Who opened this case", `href="/admin/audit?object-id=`+w.c.ID+`"`,
			`href="/admin/audit?source=api&amp;object-id=`+w.c.ID+`"`)
	})
}

// TestAdminAuditLog: the access log lists one source's requests newest first, and each
// filter (actor by email or id, object, time range) narrows it; bad filters are
// explained beside their fields.
func TestAdminAuditLog(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		now := w.clock.Now()
		key, err := w.store.CreateUserAPIKey(ctx, w.max.ID, "max's script", []string{docket.ScopeCaseRead}, "a secret for max's script")
		noErr(t, err)
		entry := func(source string, actor *docket.Actor, user string, ago time.Duration, route string, status int, objects ...string) *docket.AccessLogEntry {
			// The id carries the entry's time, as the recorder makes it: time ranges are id ranges.
			return &docket.AccessLogEntry{ID: docket.FirstIDAt(docket.PrefixRequest, now.Add(-ago)), Source: source, Actor: actor, UserID: user,
				ClientAddr: "192.0.2.7", Method: http.MethodGet, Route: route, ObjectIDs: objects, Status: status,
				Duration: time.Millisecond, CreatedAt: now.Add(-ago)}
		}
		user := func(u *docket.User) *docket.Actor { return &docket.Actor{Type: docket.ActorUser, ID: u.ID} }
		adaOpens := entry(docket.AccessSourceDashboard, user(w.ada), w.ada.ID, 2*time.Hour, "/cases/{id}", 200, w.c.ID)
		bobOpens := entry(docket.AccessSourceDashboard, user(w.bob), w.bob.ID, time.Hour, "/cases/{id}", 200, w.related.ID)
		keyReads := entry(docket.AccessSourceAPI, &docket.Actor{Type: docket.ActorAPIKey, ID: key.ID}, w.max.ID, 30*time.Minute,
			"/api/v1/cases/{id}", 404, w.c.ID)
		signIn := entry(docket.AccessSourceDashboard, nil, "", 10*time.Minute, "/login", 303)
		noErr(t, w.store.InsertAccessLog(ctx, []*docket.AccessLogEntry{adaOpens, bobOpens, keyReads, signIn}))

		minute := func(ago time.Duration) string { return now.Add(-ago).UTC().Format("2006-01-02T15:04") }
		all := []string{adaOpens.ID, bobOpens.ID, keyReads.ID, signIn.ID}
		for _, tc := range []struct {
			name, query string
			want        []string
			has         []string
		}{
			{"dashboard by default", "", []string{signIn.ID, bobOpens.ID, adaOpens.ID},
				[]string{"192.0.2.7", "<code>GET /cases/{id}</code>", `<a href="/cases/` + w.c.ID + `"><code>`, `<a href="/admin/users/` + w.ada.ID + `">ada</a>`, "nobody signed in"}},
			{"the API", "source=api", []string{keyReads.ID}, []string{"API key “max&#39;s script”", `for <a href="/admin/users/` + w.max.ID + `">max</a>`, `class="num failed">404`}},
			{"actor by email", "actor=ADA@example.com", []string{adaOpens.ID}, []string{`value="ADA@example.com"`}},
			{"actor by id", "actor=" + w.bob.ID, []string{bobOpens.ID}, nil},
			{"a person's keys", "source=api&actor=max@example.com", []string{keyReads.ID}, nil},
			{"actor by key", "source=api&actor=" + key.ID, []string{keyReads.ID}, nil},
			{"who opened this case", "object-id=" + w.c.ID, []string{adaOpens.ID}, []string{"Who opened <a href=\"/cases/" + w.c.ID + "\">" + w.c.Name + "</a>"}},
			{"from", "from=" + minute(90*time.Minute), []string{signIn.ID, bobOpens.ID}, nil},
			{"to (the minute included)", "to=" + minute(time.Hour), []string{bobOpens.ID, adaOpens.ID}, nil},
			{"a day", "to=" + now.AddDate(0, 0, -1).Format(time.DateOnly), nil, []string{"No request matches these filters."}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := w.as(w.root).get("/admin/audit?" + tc.query)
				p.want(t, http.StatusOK, tc.has...)
				if got := requestIDs(p.body); strings.Join(got, " ") != strings.Join(tc.want, " ") {
					t.Fatalf("listed %v, want %v (of %v)", got, tc.want, all)
				}
			})
		}
		root := w.as(w.root)
		for query, msg := range map[string]string{
			"actor=nobody@example.com":                  "No user has this email address.",
			"from=yesterday":                            "Give a time like 2026-01-02T15:04 (UTC)",
			"from=2026-01-02T10:00&to=2026-01-02T09:00": "The end must come after the start.",
			"source=ftp":                                "Choose the dashboard or the API.",
			"after=nonsense":                            "broken page cursor",
		} {
			root.get("/admin/audit?"+query).want(t, http.StatusBadRequest, msg)
		}
	})
}

var requestIDRe = regexp.MustCompile(`<td><code>(req_[0-9a-z]+)</code></td>`)

// requestIDs lists the request ids of an access log page, in order.
func requestIDs(body string) []string {
	var out []string
	for _, m := range requestIDRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestAdminAuditLogPages: the log pages newest first and keeps its filters.
func TestAdminAuditLogPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		var entries []*docket.AccessLogEntry
		for i := range 60 {
			entries = append(entries, &docket.AccessLogEntry{ID: docket.NewID(docket.PrefixRequest), Source: docket.AccessSourceDashboard,
				Method: http.MethodGet, Route: "/cases/{id}", ObjectIDs: []string{w.c.ID}, Status: 200, CreatedAt: w.clock.Now().Add(time.Duration(i) * time.Second)})
		}
		noErr(t, w.store.InsertAccessLog(ctx, entries))
		root := w.as(w.root)
		first := root.get("/admin/audit?object-id=" + w.c.ID)
		first.want(t, http.StatusOK, `rel="next"`)
		next := regexpFind(t, first.body, `href="(/admin/audit\?[^"]+)" rel="next"`)
		next = strings.ReplaceAll(next, "&amp;", "&")
		if !strings.Contains(next, "object-id="+w.c.ID) {
			t.Fatalf("the next page drops the filter: %s", next)
		}
		second := root.get(next)
		got := append(requestIDs(first.body), requestIDs(second.body)...)
		if len(got) != 60 || got[0] != entries[59].ID || got[59] != entries[0].ID {
			t.Fatalf("%d entries over two pages, first %s, last %s", len(got), got[0], got[len(got)-1])
		}
	})
}

var verifiedRe = regexp.MustCompile(`(\d+) events checked up to sequence (\d+)`)

// TestAdminAuditChain: Verify walks the chain and says it is intact with the number of
// events checked, checks an anchor, names the event that a raw SQL edit changed (linked
// to it), and the anchor and export download what the API answers.
func TestAdminAuditChain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		root := w.as(w.root)
		head, err := w.store.ChainHead(ctx)
		noErr(t, err)
		seq := strconv.FormatInt(head.Seq, 10)
		root.get("/admin/audit/chain").want(t, http.StatusOK, "<dd>"+seq+"</dd>", head.Hash, "Verify now",
			`href="/admin/audit/anchor"`, `href="/admin/audit/export"`)

		p := root.submit("/admin/audit/chain", "/admin/audit/chain/verify")
		p.want(t, http.StatusOK, "The chain is intact.")
		if m := verifiedRe.FindStringSubmatch(p.body); m == nil || m[1] != m[2] || m[2] != seq {
			t.Fatalf("verification says %v, want %s events up to %s", m, seq, seq)
		}
		anchor := docket.Anchor{Seq: head.Seq, Hash: head.Hash}.String()
		root.submit("/admin/audit/chain", "/admin/audit/chain/verify", "anchor", anchor).want(t, http.StatusOK,
			"The chain is intact.", "the anchor at sequence "+seq+" holds")
		root.submit("/admin/audit/chain", "/admin/audit/chain/verify", "anchor", "12:nothex").want(t, http.StatusBadRequest,
			`id="anchor-error">An anchor&#39;s hash is 64 hexadecimal digits.`)

		dl := root.get("/admin/audit/anchor")
		dl.want(t, http.StatusOK, `"anchor": "`+anchor+`"`, `"sequence": `+seq)
		if cd := dl.header.Get("Content-Disposition"); cd != `attachment; filename="docket-anchor-`+seq+`.json"` {
			t.Fatalf("anchor download %q", cd)
		}
		export := root.get("/admin/audit/export")
		export.want(t, http.StatusOK, `"sequence":1,`)
		if lines := strings.Count(export.body, "\n"); strconv.Itoa(lines) != seq || export.header.Get("Docket-Chain-Head") != seq {
			t.Fatalf("export of %d lines, head %s; want %s", lines, export.header.Get("Docket-Chain-Head"), seq)
		}

		// Rename the case's creation in SQL, behind Docket's back.
		created := w.eventOf(docket.EventCaseCreated, w.c.ID)
		db := storetest.RawWriteDB(t, dbURL)
		storetest.Exec(t, db, dbURL, `UPDATE events SET name = ? WHERE id = ?`, "case.updated", created)
		p = root.submit("/admin/audit/chain", "/admin/audit/chain/verify")
		p.want(t, http.StatusOK, "The chain is broken: edited.", `<a href="/admin/events/`+created+`"><code class="fault-event">`+created+`</code></a>`,
			"its hash does not match its content")
		p.lacks(t, "The chain is intact.")
	})
}

// TestHomeProposals: My work lists the decisions awaiting the user's confirmation, to
// those who may confirm them, without their own proposals; the proposal's notification
// reaches them too.
func TestHomeProposals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := fourEyesWorld(t, dbURL)
		_, err := w.store.SetCaseStatus(ctx, docket.Actor{Type: docket.ActorUser, ID: w.ada.ID}, w.c.ID, "Declined")
		noErr(t, err)
		_, err = w.store.SetCaseStatus(ctx, docket.Actor{Type: docket.ActorUser, ID: w.max.ID}, w.related.ID, "Declined")
		noErr(t, err)
		mine := func(u *docket.User) []string {
			p := w.as(u).get("/")
			p.want(t, http.StatusOK)
			if !strings.Contains(p.body, `id="my-proposals"`) {
				return nil
			}
			return linkTexts(section(t, p.body, "my-proposals"), "/cases/")
		}
		wantList(t, "max's decisions", mine(w.max), w.c.Name)
		wantList(t, "root's decisions", mine(w.root), w.c.Name, w.related.Name)
		for _, u := range []*docket.User{w.ada, w.vc} {
			if got := mine(u); got != nil {
				t.Fatalf("%s sees decisions to confirm: %v", u.Email, got)
			}
		}
		w.as(w.max).get("/").want(t, http.StatusOK, "Awaiting your confirmation", "<strong>Declined</strong>",
			w.c.Name+": Declined awaits your confirmation")
		w.as(w.bob).get("/").lacks(t, "Awaiting your confirmation", "awaits your confirmation")
	})
}
