package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// verify checks the whole chain of s, 3 links a read so that batches are crossed.
func verify(t *testing.T, s *store.Store, anchor *docket.Anchor) docket.ChainReport {
	t.Helper()
	r, err := docket.VerifyChain(ctx, s, anchor, 3)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func wantChainOK(t *testing.T, s *store.Store, events int64) docket.ChainReport {
	t.Helper()
	r := verify(t, s, nil)
	if !r.OK || r.Fault != nil {
		t.Fatalf("chain not OK: %v", r.Fault)
	}
	if events >= 0 && r.Events != events {
		t.Fatalf("chain holds %d events, want %d", r.Events, events)
	}
	if r.Head.Seq != r.Events {
		t.Fatalf("head at %d after %d events", r.Head.Seq, r.Events)
	}
	return r
}

// history writes a few changes of several kinds and returns the chain's links.
func history(t *testing.T, s *store.Store) []*docket.ChainLink {
	t.Helper()
	tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
		FieldSchemas: []docket.FieldSchema{{Key: "amount", Type: docket.FieldFloat}, {Key: "note", Type: docket.FieldString}}})
	for i := range 3 {
		c := caseOK(t)(s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID,
			Fields: map[string]any{"amount": 12000.5 + float64(i), "note": "<b>\"quoted\" & ünïcode\n</b>"}}))
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, "looked at it"))
		caseOK(t)(s.SetCaseStatus(ctx, userActor, c.ID, "Approved"))
	}
	links, err := s.ChainLinks(ctx, docket.ChainFilter{Limit: 1000})
	noErr(t, err)
	return links
}

// Each tamper is done in SQL on a fresh chain; verification names the first bad event.
func TestChainTamper(t *testing.T) {
	t.Parallel()
	type tamper struct {
		name string
		// do changes the database; links are the chain before, 0-based (links[3] is seq 4).
		do func(t *testing.T, raw func(q string, args ...any), links []*docket.ChainLink)
		// kind, seq and id (index into links; -1: the inserted event "evt_forged"; -2: none)
		kind     string
		seq      int64
		at, prev int
	}
	forged := func(seq int64, prev string) *docket.ChainLink {
		l := &docket.ChainLink{Event: docket.Event{ID: "evt_forged", Name: "case.resolved", ObjectType: "case", ObjectID: "case_x",
			Actor: userActor, Object: []byte(`{"id":"case_x"}`), CreatedAt: epoch}, Seq: seq, PrevHash: prev}
		l.Digest = must[string](t)(docket.SnapshotDigest(l.Object))
		l.Hash = docket.ChainHash(l)
		return l
	}
	insert := func(raw func(string, ...any), l *docket.ChainLink, seq any) {
		raw(`INSERT INTO events (id, name, object_type, object_id, actor_type, actor_id, object, created_at, seq, prev_hash, hash, object_digest)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.Name, l.ObjectType, l.ObjectID, l.Actor.Type, l.Actor.ID,
			string(l.Object), l.CreatedAt.UnixMilli(), seq, l.PrevHash, l.Hash, l.Digest)
	}
	// shift moves the events from seq on one place up, making room (in two steps, as
	// PostgreSQL checks the unique index row by row).
	shift := func(raw func(string, ...any), seq int64) {
		raw(`UPDATE events SET seq = -seq WHERE seq >= ?`, seq)
		raw(`UPDATE events SET seq = 1 - seq WHERE seq < 0`)
		raw(`UPDATE event_chain_head SET seq = seq + 1`)
	}
	tampers := []tamper{
		{name: "a snapshot edited", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`UPDATE events SET object = ? WHERE id = ?`, `{"tampered":true}`, l[4].ID)
		}, kind: docket.FaultEdited, seq: 5, at: 4, prev: 3},
		{name: "a name edited", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`UPDATE events SET name = ? WHERE id = ?`, "case.resolved", l[6].ID)
		}, kind: docket.FaultEdited, seq: 7, at: 6, prev: 5},
		{name: "an actor edited", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`UPDATE events SET actor_id = ? WHERE id = ?`, "user_other", l[0].ID)
		}, kind: docket.FaultEdited, seq: 1, at: 0, prev: -2},
		{name: "an erased snapshot is not checked, the next edited one is", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`UPDATE events SET object = ?, object_erased = ? WHERE id = ?`, `{}`, true, l[4].ID)
			raw(`UPDATE events SET object = ? WHERE id = ?`, `{"id":"x"}`, l[5].ID)
		}, kind: docket.FaultEdited, seq: 6, at: 5, prev: 4},
		{name: "an event deleted", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`DELETE FROM events WHERE id = ?`, l[5].ID)
		}, kind: docket.FaultDeleted, seq: 7, at: 6, prev: 4},
		{name: "the first event deleted", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`DELETE FROM events WHERE id = ?`, l[0].ID)
		}, kind: docket.FaultDeleted, seq: 2, at: 1, prev: -2},
		{name: "the last events deleted", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`DELETE FROM events WHERE seq > ?`, len(l)-2)
		}, kind: docket.FaultDeleted, seq: -1, at: -2, prev: -3},
		{name: "the last events deleted and the head moved back", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`DELETE FROM events WHERE seq > ?`, len(l)-2)
			raw(`UPDATE event_chain_head SET seq = ?`, len(l)-2)
		}, kind: docket.FaultEdited, seq: -3, at: -2, prev: -3},
		{name: "two events swapped", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			raw(`UPDATE events SET seq = 0 WHERE id = ?`, l[3].ID)
			raw(`UPDATE events SET seq = 4 WHERE id = ?`, l[4].ID)
			raw(`UPDATE events SET seq = 5 WHERE id = ?`, l[3].ID)
		}, kind: docket.FaultInserted, seq: 4, at: 4, prev: 2},
		{name: "an event inserted with a made-up previous hash", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			shift(raw, 4)
			insert(raw, forged(4, docket.ChainGenesis), 4)
		}, kind: docket.FaultInserted, seq: 4, at: -1, prev: 2},
		{name: "an event inserted with the right previous hash and its own hash", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			shift(raw, 4)
			insert(raw, forged(4, l[2].Hash), 4)
		}, kind: docket.FaultInserted, seq: 5, at: 3, prev: -1},
		{name: "an event inserted past the head", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			n := int64(len(l)) + 1
			insert(raw, forged(n, l[len(l)-1].Hash), n)
		}, kind: docket.FaultInserted, seq: int64(-4), at: -1, prev: -2},
		{name: "an event inserted without a place", do: func(t *testing.T, raw func(string, ...any), l []*docket.ChainLink) {
			insert(raw, forged(0, ""), nil)
		}, kind: docket.FaultInserted, seq: 0, at: -1, prev: -2},
	}
	for _, tc := range tampers {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, dbURL string) {
				s := openStore(t, dbURL)
				links := history(t, s)
				n := int64(len(links))
				wantChainOK(t, s, n)
				db := storetest.RawWriteDB(t, dbURL)
				tc.do(t, func(q string, args ...any) { storetest.Exec(t, db, dbURL, q, args...) }, links)
				r := verify(t, s, nil)
				if r.OK || r.Fault == nil {
					t.Fatalf("tampered chain verified OK: %+v", r)
				}
				id := func(i int) string {
					switch i {
					case -1:
						return "evt_forged"
					case -2:
						return ""
					case -3:
						return links[n-3].ID
					}
					return links[i].ID
				}
				wantSeq := map[int64]int64{-1: n - 1, -3: n - 2, -4: n + 1}[tc.seq]
				if tc.seq >= 0 {
					wantSeq = tc.seq
				}
				f := r.Fault
				if f.Kind != tc.kind || f.Seq != wantSeq || f.EventID != id(tc.at) || f.PrevEventID != id(tc.prev) {
					t.Fatalf("fault %+v, want %s at seq %d, event %q after %q", f, tc.kind, wantSeq, id(tc.at), id(tc.prev))
				}
			})
		})
	}
}

// A chain rewritten from some event on, every hash recomputed, verifies on its own;
// an anchor taken before finds the rewrite.
func TestChainAnchor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		links := history(t, s)
		head := wantChainOK(t, s, int64(len(links))).Head
		anchor := &docket.Anchor{Seq: head.Seq, Hash: head.Hash}
		if r := verify(t, s, anchor); !r.OK {
			t.Fatalf("anchor of the current head: %v", r.Fault)
		}
		if r := verify(t, s, &docket.Anchor{Seq: 3, Hash: links[2].Hash}); !r.OK {
			t.Fatalf("anchor of an earlier link: %v", r.Fault)
		}
		if r := verify(t, s, &docket.Anchor{Seq: head.Seq + 5, Hash: head.Hash}); r.OK || r.Fault.Kind != docket.FaultAnchor {
			t.Fatalf("anchor beyond the head: %+v", r)
		}

		// Rewrite event 4's snapshot and recompute every hash from there, head included.
		db := storetest.RawWriteDB(t, dbURL)
		prev := links[2].Hash
		for i, l := range links[3:] {
			if i == 0 {
				l.Object = []byte(`{"rewritten":true}`)
				l.Digest = must[string](t)(docket.SnapshotDigest(l.Object))
			}
			l.PrevHash = prev
			l.Hash = docket.ChainHash(l)
			prev = l.Hash
			storetest.Exec(t, db, dbURL, `UPDATE events SET object = ?, object_digest = ?, prev_hash = ?, hash = ? WHERE id = ?`,
				string(l.Object), l.Digest, l.PrevHash, l.Hash, l.ID)
		}
		storetest.Exec(t, db, dbURL, `UPDATE event_chain_head SET hash = ?`, prev)
		wantChainOK(t, s, int64(len(links)))
		r := verify(t, s, anchor)
		if r.OK || r.Fault.Kind != docket.FaultAnchor || r.Fault.EventID != links[len(links)-1].ID {
			t.Fatalf("rewritten chain against the earlier anchor: %+v", r.Fault)
		}
	})
}

// Two processes appending at once keep one gapless chain in which every event is placed.
func TestChainTwoProcesses(t *testing.T) {
	const perStore, workers = 60, 6
	storetest.Each(t, func(t *testing.T, dbURL string) {
		a, b := openStore(t, dbURL), openStore(t, dbURL)
		tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "Burst", Key: "BURST"})
		done := make(chan error, 2*workers)
		for _, s := range []*store.Store{a, b} {
			for range workers {
				go func() {
					for range perStore / workers {
						c, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID})
						if err == nil {
							_, err = s.AddComment(ctx, userActor, c.ID, "note")
						}
						if err != nil {
							done <- err
							return
						}
					}
					done <- nil
				}()
			}
		}
		for range 2 * workers {
			noErr(t, <-done)
		}
		var n int64
		noErr(t, storetest.RawDB(t, dbURL).QueryRow(`SELECT count(*) FROM events`).Scan(&n))
		if n < 1+2*2*perStore {
			t.Fatalf("%d events for %d cases with a comment each", n, 2*perStore)
		}
		wantChainOK(t, b, n)
	})
}

// Redaction erases snapshots and keeps their digests: the chain still verifies, and the
// erased events are counted. An event recorded and redacted in one transaction is too.
func TestChainAfterRedaction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		history(t, s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Fraud", Key: "FRAUD", FieldSchemas: []docket.FieldSchema{{Key: "ssn", Type: docket.FieldString}}})
		acct := &docket.Account{ReferenceID: ptr("ref-1"), Fields: map[string]any{"name": "Jane"}}
		noErr(t, s.CreateAccount(ctx, apiActor, acct))
		c := caseOK(t)(s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"ssn": "123"}, ObjectIDs: []string{acct.ID}}))
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, "Jane called"))
		caseOK(t)(s.RedactCase(ctx, userActor, c.ID))
		must[*docket.Account](t)(s.RedactAccount(ctx, userActor, acct.ID))
		r := wantChainOK(t, s, -1)
		if r.Erased == 0 {
			t.Fatal("no event counted as erased after two redactions")
		}

		c2 := caseOK(t)(s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID}))
		noErr(t, s.Atomically(ctx, func(ctx context.Context) error {
			if _, err := s.UpdateCase(ctx, apiActor, c2.ID, docket.CaseUpdate{Fields: map[string]any{"ssn": "secret-456"}}); err != nil {
				return err
			}
			_, err := s.RedactCase(ctx, userActor, c2.ID)
			return err
		}))
		wantChainOK(t, s, -1)
		events := must[[]*docket.Event](t)(listAll(s, c2.ID))
		for _, e := range events {
			if strings.Contains(string(e.Object), "secret-456") {
				t.Fatalf("event %s recorded and redacted in one transaction kept the data: %s", e.Name, e.Object)
			}
		}
	})
}

// Events written before the chain existed are chained once, at the next start, in id
// order; a row without a place found after that is reported, not absorbed.
func TestChainBackfill(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		links := history(t, s)
		db := storetest.RawWriteDB(t, dbURL)
		storetest.Exec(t, db, dbURL, `UPDATE events SET seq = NULL, prev_hash = NULL, hash = NULL, object_digest = NULL`)
		storetest.Exec(t, db, dbURL, `UPDATE event_chain_head SET seq = 0, hash = ?, backfilled = ?`, docket.ChainGenesis, false)
		s2 := openStore(t, dbURL)
		wantChainOK(t, s2, int64(len(links)))
		after := must[[]*docket.ChainLink](t)(s2.ChainLinks(ctx, docket.ChainFilter{Limit: 1000}))
		for i := 1; i < len(after); i++ {
			if after[i].ID < after[i-1].ID {
				t.Fatalf("backfilled out of id order: %s after %s", after[i].ID, after[i-1].ID)
			}
		}

		storetest.Exec(t, db, dbURL, `UPDATE events SET seq = NULL WHERE id = ?`, after[2].ID)
		s3 := openStore(t, dbURL)
		if r := verify(t, s3, nil); r.OK || r.Fault.Kind != docket.FaultDeleted {
			t.Fatalf("a row stripped of its place after the backfill: %+v", r.Fault)
		}
	})
}

// Export streams the chain oldest first from a cursor, in bounded batches, and leaves
// out what the reader may not see while keeping the chain fields of what it sends.
func TestChainExport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		links := history(t, s)
		hidden := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR"})
		hc := caseOK(t)(s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: hidden.ID}))
		export := func(f docket.ChainFilter) []*docket.ChainLink {
			var out []*docket.ChainLink
			noErr(t, docket.ExportChain(ctx, s, f, 4, func(batch []*docket.ChainLink) error {
				if len(batch) > 4 {
					t.Fatalf("a batch of %d links, asked for 4", len(batch))
				}
				out = append(out, batch...)
				return nil
			}))
			return out
		}
		all := export(docket.ChainFilter{})
		head := must[docket.ChainHead](t)(s.ChainHead(ctx))
		if int64(len(all)) != head.Seq || all[0].Seq != 1 || all[len(all)-1].Hash != head.Hash {
			t.Fatalf("export of %d links, head %d", len(all), head.Seq)
		}
		for i, l := range all {
			if l.Seq != int64(i+1) || (i > 0 && l.PrevHash != all[i-1].Hash) || docket.ChainHash(l) != l.Hash {
				t.Fatalf("link %d does not chain: %+v", i, l)
			}
		}
		rest := export(docket.ChainFilter{After: 5})
		if len(rest) != len(all)-5 || rest[0].ID != all[5].ID {
			t.Fatalf("resumed after 5: %d links from %s", len(rest), rest[0].ID)
		}
		vis := export(docket.ChainFilter{Visibility: docket.Visibility{HiddenTemplateIDs: []string{hidden.ID}},
			HiddenObjectTypes: []string{"case-template"}})
		for _, l := range vis {
			if l.ObjectID == hc.ID || l.ObjectType == "case-template" {
				t.Fatalf("hidden event %s %s exported", l.Name, l.ObjectID)
			}
			if docket.ChainHash(l) != l.Hash {
				t.Fatalf("filtered link %d does not verify on its own", l.Seq)
			}
		}
		if want := len(all) - 1 - 2; len(vis) != want { // the hidden case's case.created, two templates' created
			t.Fatalf("filtered export has %d links, want %d (of %d; history %d)", len(vis), want, len(all), len(links))
		}
	})
}

func listAll(s *store.Store, objectID string) ([]*docket.Event, error) {
	list, _, err := s.ListEvents(ctx, docket.EventFilter{ObjectID: objectID, Page: docket.Page{Size: 100}})
	if err != nil {
		return nil, fmt.Errorf("list events of %s: %w", objectID, err)
	}
	return list, nil
}
