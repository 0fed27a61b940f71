package api_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
	"github.com/docket-hq/docket/internal/storetest"
)

// The chain's checks are for administrators (and keys with audit.read); a broken chain
// is reported with the first bad event.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		h := newHarness(t, dbURL, testConfig())
		tmpl := h.createTemplate("")
		for range 3 {
			h.createCase(tmpl, "")
		}
		_, admin := h.userKey("admin@example.com", docket.RoleAdmin, docket.ScopeAll)
		_, manager := h.userKey("manager@example.com", docket.RoleManager, docket.ScopeAll)
		_, adminReader := h.userKey("reader@example.com", docket.RoleAdmin, docket.ScopeEventRead)
		auditor := "Bearer " + h.keyWithScopes(docket.ScopeAuditRead)
		vars := map[string]string{}
		h.scenario(t, vars, []step{
			{name: "admin verifies", method: "GET", path: "/audit/verify", headers: []string{"Authorization", admin}, status: 200,
				want: []string{`"ok":true`, `"fault":null`, `"erased-events":0`}},
			{name: "a key with audit.read verifies", method: "GET", path: "/audit/verify", headers: []string{"Authorization", auditor}, status: 200},
			{name: "a manager may not", method: "GET", path: "/audit/verify", headers: []string{"Authorization", manager}, status: 403,
				want: []string{"who may not read the audit trail"}},
			{name: "an admin's key without audit.read may not", method: "GET", path: "/audit/anchor", headers: []string{"Authorization", adminReader},
				status: 403, want: []string{"lacks the audit.read scope"}},
			{name: "the anchor", method: "GET", path: "/audit/anchor", headers: []string{"Authorization", admin}, status: 200,
				want: []string{`"sequence":`, `"hash":"`, `"updated-at":"`}, save: map[string]string{"anchor": "meta.anchor"}},
			{name: "verify with the anchor", method: "GET", path: "/audit/verify?anchor={{anchor}}", status: 200,
				want: []string{`"ok":true`, `"anchor":{`}},
			{name: "a malformed anchor", method: "GET", path: "/audit/verify?anchor=12", status: 400,
				want: []string{`"parameter":"anchor"`, "<sequence>:<hash>"}},
			{name: "camel case keys", method: "GET", path: "/audit/verify", headers: []string{"Key-Inflection", "camel"}, status: 200,
				want: []string{`"erasedEvents":0`}},
		})

		links, err := h.store.ChainLinks(context.Background(), docket.ChainFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		storetest.Exec(t, storetest.RawWriteDB(t, dbURL), dbURL, `UPDATE events SET actor_id = ? WHERE id = ?`, "api_other", links[2].ID)
		h.scenario(t, vars, []step{
			{name: "an edited event", method: "GET", path: "/audit/verify", status: 200,
				want: []string{`"ok":false`, `"kind":"edited"`, `"event-id":"` + links[2].ID + `"`, `"sequence":3`}},
		})
	})
}

// exportLines reads an NDJSON export.
func exportLines(t *testing.T, raw string) []jsonapi.ChainLine {
	t.Helper()
	var out []jsonapi.ChainLine
	for _, line := range strings.Split(strings.TrimSuffix(raw, "\n"), "\n") {
		if line == "" {
			continue
		}
		var l jsonapi.ChainLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		out = append(out, l)
	}
	return out
}

// receiverCheck verifies lines as a receiver would, with nothing but the lines: each
// line's hash from its own fields, its snapshot against its digest, and the link to the
// line before whenever the two are consecutive (a filtered export has gaps).
func receiverCheck(t *testing.T, lines []jsonapi.ChainLine) {
	t.Helper()
	for i, line := range lines {
		l := &docket.ChainLink{Event: docket.Event{ID: line.ID, Name: line.Name, ObjectType: line.ObjectType, ObjectID: line.ObjectID,
			Actor: line.Actor}, Seq: line.Sequence, PrevHash: line.PrevHash, Digest: line.ObjectDigest}
		created, err := time.Parse(docket.TimeFormat, line.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		l.CreatedAt = created
		if docket.ChainHash(l) != line.Hash {
			t.Fatalf("line %d (sequence %d): hash does not verify", i, line.Sequence)
		}
		if d, err := docket.SnapshotDigest(line.Object); !line.SnapshotErased && (err != nil || d != line.ObjectDigest) {
			t.Fatalf("line %d: snapshot does not match its digest", i)
		}
		if i > 0 && lines[i-1].Sequence+1 == line.Sequence && lines[i-1].Hash != line.PrevHash {
			t.Fatalf("line %d does not follow line %d", i, i-1)
		}
	}
}

// The export streams every event oldest first with its chain fields, resumes after a
// cursor, and leaves out what the key may not see.
func TestEventExport(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		secret := h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["admin"]}}}`)
		hidden := h.createCase(secret, "")
		for range 3 {
			id := h.createCase(tmpl, `"fields":{"note":"<b>&</b>","amount":12000.50}`)
			h.must(200, "POST", "/cases/"+id+"/set-status", `{"meta":{"status":"Approved"}}`)
		}
		h.must(200, "DELETE", "/cases/"+hidden, "")
		_, viewer := h.userKey("viewer@example.com", docket.RoleViewer, docket.ScopeAll)

		r := h.must(200, "GET", "/events/export", "")
		if ct := r.header.Get("Content-Type"); ct != "application/x-ndjson" {
			t.Fatalf("Content-Type %q", ct)
		}
		all := exportLines(t, r.raw)
		receiverCheck(t, all)
		if head, _ := strconv.Atoi(r.header.Get("Docket-Chain-Head")); len(all) != head || all[0].Sequence != 1 || all[0].PrevHash != docket.ChainGenesis {
			t.Fatalf("%d lines, head %d, first %+v", len(all), head, all[0])
		}
		if !strings.Contains(r.raw, `"snapshot-erased":true`) {
			t.Fatal("the redacted case's events are not marked erased")
		}

		rest := exportLines(t, h.must(200, "GET", "/events/export?after=4", "").raw)
		if len(rest) != len(all)-4 || rest[0].Sequence != 5 || rest[0].PrevHash != all[3].Hash {
			t.Fatalf("resumed after 4: %d lines from %d", len(rest), rest[0].Sequence)
		}
		if r := h.must(200, "GET", "/events/export?after="+strconv.Itoa(len(all)), ""); r.raw != "" {
			t.Fatalf("export after the head: %q", r.raw)
		}
		h.must(400, "GET", "/events/export?after=-1", "")
		h.must(400, "GET", "/events/export?after=seq", "")
		h.must(403, "GET", "/events/export", "", "Authorization", "Bearer "+h.keyWithScopes(docket.ScopeCaseRead))

		seen := exportLines(t, h.must(200, "GET", "/events/export", "", "Authorization", viewer).raw)
		receiverCheck(t, seen)
		for _, l := range seen {
			if l.ObjectID == hidden {
				t.Fatalf("a viewer's export holds %s of a case they may not see", l.Name)
			}
		}
		if len(seen) != len(all)-2 { // the hidden case's case.created and case.redacted
			t.Fatalf("viewer's export: %d of %d lines", len(seen), len(all))
		}
	})
}
