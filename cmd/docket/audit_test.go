package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAuditCommands: audit verify reports OK with the count and head, audit anchor prints
// an anchor that verify --anchor accepts, events export resumes after a cursor, and a
// tampered event makes verify name it and fail.
func TestAuditCommands(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		cli := func(args ...string) (string, error) {
			t.Helper()
			var out bytes.Buffer
			getenv := func(k string) string {
				return map[string]string{"DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}[k]
			}
			err := run(context.Background(), args, getenv, &out, io.Discard)
			return out.String(), err
		}
		ok := func(args ...string) string {
			t.Helper()
			out, err := cli(args...)
			if err != nil {
				t.Fatalf("docket %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return out
		}
		for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
			ok("users", "create", "--email", email)
		}
		out := ok("audit", "verify")
		if !strings.HasPrefix(out, "OK: 3 events, 0 with snapshots erased") {
			t.Fatalf("verify:\n%s", out)
		}
		anchor := strings.Fields(ok("audit", "anchor"))[0]
		if a, err := docket.ParseAnchor(anchor); err != nil || a.Seq != 3 || !strings.Contains(out, "head "+anchor) {
			t.Fatalf("anchor %q (%v) is not verify's head:\n%s", anchor, err, out)
		}
		ok("audit", "verify", "--anchor", anchor)
		if _, err := cli("audit", "verify", "--anchor", "3:"+docket.ChainGenesis); err == nil {
			t.Fatal("verify accepted an anchor the chain does not hold")
		}

		lines := strings.Split(strings.TrimSpace(ok("events", "export", "--after", "1")), "\n")
		var first struct {
			Sequence int64  `json:"sequence"`
			ID       string `json:"id"`
		}
		if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || len(lines) != 2 || first.Sequence != 2 {
			t.Fatalf("export after 1: %v\n%s", err, strings.Join(lines, "\n"))
		}

		storetest.Exec(t, storetest.RawWriteDB(t, dbURL), dbURL, `DELETE FROM events WHERE id = ?`, first.ID)
		out, err := cli("audit", "verify")
		if err == nil || !strings.Contains(out, "BROKEN: deleted at sequence 3") || !strings.Contains(out, "events 2 to 2 are missing") {
			t.Fatalf("verify after a deletion: %v\n%s", err, out)
		}
	})
}

// TestAnchorLog: the workers log the chain's head as an anchor once it moves, so that
// logs shipped elsewhere keep anchors.
func TestAnchorLog(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := startServerEnv(t, dbURL, map[string]string{"DOCKET_LOG_LEVEL": "info", "DOCKET_AUDIT_ANCHOR_INTERVAL": "50ms"})
		idOf(t, 201, s.base, "POST", "/api/v1/users", `{"data":{"attributes":{"email-address":"ada@example.com","role":"reviewer"}}}`)
		var head struct {
			Meta struct{ Anchor string } `json:"meta"`
		}
		_, raw := send(t, s.base, "GET", "/api/v1/audit/anchor", "")
		if err := json.Unmarshal([]byte(raw), &head); err != nil || !strings.HasPrefix(head.Meta.Anchor, "1:") {
			t.Fatalf("anchor after one event: %v %s", err, raw)
		}
		eventually(t, 10*time.Second, func() (bool, string) {
			return strings.Contains(s.log(), `msg="event chain anchor" anchor=`+head.Meta.Anchor), "no anchor logged:\n" + s.log()
		})
	})
}
