package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestObjectInquiryCreate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		q1 := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("cust-1"),
			CreatorEmail: objPtr("Ops@Example.com"), Fields: map[string]any{"name-first": "Ann"}, Tags: []string{"web"}}))
		if q1.Status != docket.InquiryCreated || q1.AccountID == nil || !docket.ValidID(docket.PrefixInquiry, q1.ID) ||
			*q1.CreatorEmail != "ops@example.com" {
			t.Fatalf("created inquiry: %+v", q1)
		}
		accts := objAccounts(t, s, "cust-1")
		if len(accts) != 1 || accts[0].ID != *q1.AccountID {
			t.Fatalf("accounts with the reference id: %+v, inquiry links %s", accts, *q1.AccountID)
		}
		q2 := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("cust-1")}))
		if q2.AccountID == nil || *q2.AccountID != *q1.AccountID {
			t.Fatalf("second inquiry links %v, want %s", q2.AccountID, *q1.AccountID)
		}
		if n := len(objAccounts(t, s, "")); n != 1 {
			t.Fatalf("%d accounts, want 1", n)
		}
		objWantNames(t, "account events", objEventNames(t, s, *q1.AccountID), docket.EventAccountCreated)
		objWantNames(t, "inquiry events", objEventNames(t, s, q1.ID), docket.EventInquiryCreated)

		// An explicit account wins; no reference id means no account.
		q3 := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{AccountID: q1.AccountID, ReferenceID: objPtr("cust-3")}))
		if *q3.AccountID != *q1.AccountID {
			t.Fatalf("explicit account id ignored: %v", *q3.AccountID)
		}
		q4 := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{}))
		if q4.AccountID != nil || q4.ReferenceID != nil {
			t.Fatalf("anonymous inquiry: %+v", q4)
		}
		got := objOK[*docket.Inquiry](t)(s.FindInquiry(objCtx, q1.ID))
		if objJSON(t, got) != objJSON(t, q1) {
			t.Fatalf("found %s\nwant %s", objJSON(t, got), objJSON(t, q1))
		}
		list, _, err := s.ListInquiries(objCtx, docket.InquiryFilter{AccountID: *q1.AccountID, Page: docket.Page{Size: 10}})
		if err != nil || len(list) != 3 {
			t.Fatalf("inquiries of the account: %d %v", len(list), err)
		}
		list, _, err = s.ListInquiries(objCtx, docket.InquiryFilter{ReferenceID: "cust-1", Page: docket.Page{Size: 10}})
		if err != nil || len(list) != 2 || list[0].ID != q2.ID {
			t.Fatalf("inquiries by reference id, newest first: %+v %v", list, err)
		}

		tests := []struct {
			name        string
			n           docket.NewInquiry
			code, field string
		}{
			{"unknown account", docket.NewInquiry{AccountID: objPtr(docket.NewID(docket.PrefixAccount))}, docket.EInvalid, "account-id"},
			{"not an account id", docket.NewInquiry{AccountID: objPtr("inq_nope")}, docket.EInvalid, "account-id"},
			{"bad email", docket.NewInquiry{CreatorEmail: objPtr("nobody")}, docket.EInvalid, "creator-email-address"},
			{"bad field key", docket.NewInquiry{Fields: map[string]any{"1x": 1}}, docket.EInvalid, "fields.1x"},
			{"blank reference id", docket.NewInquiry{ReferenceID: objPtr("  ")}, docket.EInvalid, "reference-id"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := len(objEvents(t, s, docket.EventFilter{}))
				_, err := s.CreateInquiry(objCtx, apiActor, tc.n)
				objWantErr(t, err, tc.code, tc.field)
				if after := len(objEvents(t, s, docket.EventFilter{})); after != before {
					t.Fatalf("refused create wrote %d events", after-before)
				}
			})
		}
	})
}

// TestObjectInquiryConcurrentReference creates inquiries with one new reference id from
// many goroutines at once: exactly one account may come of it.
func TestObjectInquiryConcurrentReference(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		const n = 20
		start := make(chan struct{})
		var wg sync.WaitGroup
		ids := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				q, err := s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("cust-race")})
				if err == nil && q.AccountID != nil {
					ids[i] = *q.AccountID
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("inquiry %d: %v", i, err)
			}
			if ids[i] == "" || ids[i] != ids[0] {
				t.Fatalf("inquiry %d links account %q, inquiry 0 links %q", i, ids[i], ids[0])
			}
		}
		accts := objAccounts(t, s, "")
		if len(accts) != 1 || accts[0].ID != ids[0] {
			t.Fatalf("%d accounts, want exactly one (%s)", len(accts), ids[0])
		}
		if evs := objEvents(t, s, docket.EventFilter{Name: docket.EventAccountCreated}); len(evs) != 1 {
			t.Fatalf("%d account.created events, want 1", len(evs))
		}
		list, _, err := s.ListInquiries(objCtx, docket.InquiryFilter{AccountID: ids[0], Page: docket.Page{Size: 100}})
		if err != nil || len(list) != n {
			t.Fatalf("%d inquiries on the account (%v), want %d", len(list), err, n)
		}
	})
}

func TestObjectInquiryActions(t *testing.T) {
	t.Parallel()
	type act struct {
		action  string
		comment *string
		status  string // status after; empty: refused with code
		code    string
	}
	tests := []struct {
		name  string
		steps []act
	}{
		{"happy path with review", []act{
			{action: docket.InquiryStart, status: docket.InquiryPending},
			{action: docket.InquiryComplete, status: docket.InquiryCompleted},
			{action: docket.InquiryMarkForReview, status: docket.InquiryNeedsReview},
			{action: docket.InquiryApprove, comment: objPtr("checked the passport"), status: docket.InquiryApproved},
			{action: docket.InquiryDecline, code: docket.EInvalid},
		}},
		{"complete at once", []act{
			{action: docket.InquiryComplete, status: docket.InquiryCompleted},
			{action: docket.InquiryStart, code: docket.EInvalid},
			{action: docket.InquiryDecline, comment: objPtr("fake id"), status: docket.InquiryDeclined},
		}},
		{"fail then review", []act{
			{action: docket.InquiryFail, status: docket.InquiryFailed},
			{action: docket.InquiryApprove, code: docket.EInvalid},
			{action: docket.InquiryMarkForReview, status: docket.InquiryNeedsReview},
			{action: docket.InquiryDecline, status: docket.InquiryDeclined},
		}},
		{"expired is final", []act{
			{action: docket.InquiryExpire, status: docket.InquiryExpired},
			{action: docket.InquiryComplete, code: docket.EInvalid},
			{action: docket.InquiryMarkForReview, code: docket.EInvalid},
		}},
		{"unknown action", []act{{action: "teleport", code: docket.ENotFound}}},
	}
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{}))
				want := []string{docket.EventInquiryCreated}
				for i, st := range tc.steps {
					at := clock.Add(time.Second)
					before := objOK[*docket.Inquiry](t)(s.FindInquiry(objCtx, q.ID))
					got, err := s.InquiryAction(objCtx, apiActor, q.ID, st.action, st.comment)
					if st.code != "" {
						objWantErr(t, err, st.code, "")
						if after := objOK[*docket.Inquiry](t)(s.FindInquiry(objCtx, q.ID)); objJSON(t, after) != objJSON(t, before) {
							t.Fatalf("step %d: refused %s changed the inquiry", i, st.action)
						}
						continue
					}
					if err != nil {
						t.Fatalf("step %d: %s: %v", i, st.action, err)
					}
					want = append(want, docket.InquiryTransitions[st.action].Event)
					stored := objOK[*docket.Inquiry](t)(s.FindInquiry(objCtx, q.ID))
					if got.Status != st.status || stored.Status != st.status || !stored.UpdatedAt.Equal(at) {
						t.Fatalf("step %d: %s: status %s/%s at %v, want %s at %v", i, st.action, got.Status, stored.Status, stored.UpdatedAt, st.status, at)
					}
					if st.comment != nil && (stored.ReviewerComment == nil || *stored.ReviewerComment != *st.comment) {
						t.Fatalf("step %d: reviewer comment %v", i, stored.ReviewerComment)
					}
				}
				objWantNames(t, "events", objEventNames(t, s, q.ID), want...)
			})
		}
		_, err := s.InquiryAction(objCtx, apiActor, docket.NewID(docket.PrefixInquiry), docket.InquiryStart, nil)
		objWantErr(t, err, docket.ENotFound, "")
	})
}

func TestObjectInquiryExpire(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		mk := func(actions ...string) *docket.Inquiry {
			q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{}))
			for _, a := range actions {
				q = objOK[*docket.Inquiry](t)(s.InquiryAction(objCtx, apiActor, q.ID, a, nil))
			}
			return q
		}
		oldCreated := mk()
		oldPending := mk(docket.InquiryStart)
		oldCompleted := mk(docket.InquiryComplete)
		oldFailed := mk(docket.InquiryStart, docket.InquiryFail)
		oldCreated2 := mk()
		cutoff := clock.Add(time.Hour)
		fresh := mk()
		freshPending := mk(docket.InquiryStart)
		now := clock.Add(time.Minute)

		if n := objOK[int](t)(s.ExpireInquiries(objCtx, cutoff, 2)); n != 2 {
			t.Fatalf("first round expired %d, want the limit 2", n)
		}
		if n := objOK[int](t)(s.ExpireInquiries(objCtx, cutoff, 10)); n != 1 {
			t.Fatalf("second round expired %d, want 1", n)
		}
		if n := objOK[int](t)(s.ExpireInquiries(objCtx, cutoff, 10)); n != 0 {
			t.Fatalf("third round expired %d, want 0", n)
		}
		for _, tc := range []struct {
			q      *docket.Inquiry
			status string
		}{
			{oldCreated, docket.InquiryExpired}, {oldPending, docket.InquiryExpired}, {oldCreated2, docket.InquiryExpired},
			{oldCompleted, docket.InquiryCompleted}, {oldFailed, docket.InquiryFailed},
			{fresh, docket.InquiryCreated}, {freshPending, docket.InquiryPending},
		} {
			got := objOK[*docket.Inquiry](t)(s.FindInquiry(objCtx, tc.q.ID))
			evs := objEvents(t, s, docket.EventFilter{ObjectID: tc.q.ID, Name: "inquiry.expired"})
			if got.Status != tc.status {
				t.Errorf("%s: status %s, want %s", tc.q.ID, got.Status, tc.status)
			}
			if tc.status != docket.InquiryExpired {
				if got.ExpiredAt != nil || len(evs) != 0 {
					t.Errorf("%s: expired-at %v, %d expiry events", tc.q.ID, got.ExpiredAt, len(evs))
				}
				continue
			}
			if got.ExpiredAt == nil || !got.ExpiredAt.Equal(now) || len(evs) != 1 {
				t.Errorf("%s: expired-at %v, %d expiry events", tc.q.ID, got.ExpiredAt, len(evs))
			} else if evs[0].Actor.Type != docket.ActorSystem || objSnapshot(t, evs[0])["status"] != docket.InquiryExpired {
				t.Errorf("%s: expiry event by %+v with %s", tc.q.ID, evs[0].Actor, evs[0].Object)
			}
		}
	})
}

func TestObjectInquiryRedact(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("secret-ref"),
			CreatorEmail: objPtr("secret@example.com"), Note: objPtr("secret note"), Fields: map[string]any{"name-last": "Secretson"},
			Tags: []string{"secret-tag"}}))
		objOK[*docket.Inquiry](t)(s.InquiryAction(objCtx, apiActor, q.ID, docket.InquiryComplete, nil))
		objOK[*docket.Inquiry](t)(s.InquiryAction(objCtx, apiActor, q.ID, docket.InquiryDecline, objPtr("secret comment")))
		at := clock.Add(time.Hour)
		r := objOK[*docket.Inquiry](t)(s.RedactInquiry(objCtx, apiActor, q.ID))
		for _, x := range []*docket.Inquiry{r, objOK[*docket.Inquiry](t)(s.FindInquiry(objCtx, q.ID))} {
			if x.ReferenceID != nil || x.CreatorEmail != nil || x.Note != nil || x.ReviewerComment != nil || len(x.Fields) != 0 ||
				len(x.Tags) != 0 || x.RedactedAt == nil || !x.RedactedAt.Equal(at) {
				t.Fatalf("redacted inquiry: %+v", x)
			}
			// The status history stays.
			if x.Status != docket.InquiryDeclined || x.CompletedAt == nil || x.DecisionedAt == nil || *x.AccountID != *q.AccountID {
				t.Fatalf("redaction lost the history: %+v", x)
			}
		}
		names := objEventNames(t, s, q.ID)
		objWantNames(t, "events", names, docket.EventInquiryCreated, "inquiry.completed", "inquiry.declined", docket.EventInquiryRedacted)
		for _, e := range objEvents(t, s, docket.EventFilter{ObjectID: q.ID}) {
			if strings.Contains(strings.ToLower(string(e.Object)), "secret") {
				t.Errorf("event %s still holds personal data: %s", e.Name, e.Object)
			}
		}
		for _, a := range []string{docket.InquiryMarkForReview, docket.InquiryApprove} {
			_, err := s.InquiryAction(objCtx, apiActor, q.ID, a, nil)
			objWantErr(t, err, docket.EConflict, "")
		}
		_, err := s.UpdateInquiry(objCtx, apiActor, q.ID, docket.InquiryUpdate{Fields: map[string]any{"x": "y"}})
		objWantErr(t, err, docket.EConflict, "")
		clock.Add(time.Hour)
		again := objOK[*docket.Inquiry](t)(s.RedactInquiry(objCtx, apiActor, q.ID))
		if !again.RedactedAt.Equal(at) || len(objEventNames(t, s, q.ID)) != len(names) {
			t.Fatalf("second redaction changed something: %v, %d events", again.RedactedAt, len(objEventNames(t, s, q.ID)))
		}
		_, err = s.RedactInquiry(objCtx, apiActor, docket.NewID(docket.PrefixInquiry))
		objWantErr(t, err, docket.ENotFound, "")
	})
}
