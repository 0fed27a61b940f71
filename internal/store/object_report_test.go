package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestObjectReportCreateRefused(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tests := []struct {
			name        string
			n           docket.NewReport
			code, field string
		}{
			{"unknown type", docket.NewReport{Type: "report/horoscope"}, docket.EInvalid, "report-type"},
			{"no type", docket.NewReport{}, docket.EInvalid, "report-type"},
			{"bad status", docket.NewReport{Type: "report/watchlist", Status: "done"}, docket.EInvalid, "status"},
			{"unknown inquiry", docket.NewReport{Type: "report/watchlist", InquiryID: objPtr(docket.NewID(docket.PrefixInquiry))}, docket.EInvalid, "inquiry-id"},
			{"unknown account", docket.NewReport{Type: "report/watchlist", AccountID: objPtr(docket.NewID(docket.PrefixAccount))}, docket.EInvalid, "account-id"},
			{"empty tag", docket.NewReport{Type: "report/watchlist", Tags: []string{""}}, docket.EInvalid, "tags[0]"},
			{"blank reference", docket.NewReport{Type: "report/watchlist", ReferenceID: objPtr(" ")}, docket.EInvalid, "reference-id"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateReport(objCtx, apiActor, tc.n)
				objWantErr(t, err, tc.code, tc.field)
			})
		}
		if evs := objEvents(t, s, docket.EventFilter{}); len(evs) != 0 {
			t.Fatalf("refused creates wrote %d events", len(evs))
		}
		if l, _, err := s.ListReports(objCtx, docket.ReportFilter{Page: docket.Page{Size: 10}}); err != nil || len(l) != 0 {
			t.Fatalf("refused creates wrote %d reports (%v)", len(l), err)
		}
	})
}

func TestObjectReportFinish(t *testing.T) {
	t.Parallel()
	type finish struct {
		status  string
		matched bool
		result  map[string]any
	}
	tests := []struct {
		name        string
		n           docket.NewReport
		finish      *finish
		wantStatus  string
		wantMatched bool
		wantEvents  []string
	}{
		{name: "pending", n: docket.NewReport{Type: "report/watchlist"}, wantStatus: docket.ReportPending,
			wantEvents: []string{docket.EventReportCreated}},
		{name: "ready and matched", n: docket.NewReport{Type: "report/watchlist"},
			finish:     &finish{docket.ReportReady, true, map[string]any{"hits": []any{"OFAC"}}},
			wantStatus: docket.ReportReady, wantMatched: true,
			wantEvents: []string{docket.EventReportCreated, docket.EventReportReady, docket.EventReportMatched}},
		{name: "ready without match", n: docket.NewReport{Type: "report/adverse-media"},
			finish:     &finish{docket.ReportReady, false, nil},
			wantStatus: docket.ReportReady, wantEvents: []string{docket.EventReportCreated, docket.EventReportReady}},
		{name: "errored never matches", n: docket.NewReport{Type: "report/sanctions"},
			finish:     &finish{docket.ReportErrored, true, nil},
			wantStatus: docket.ReportErrored, wantEvents: []string{docket.EventReportCreated, docket.EventReportErrored}},
		{name: "created ready and matched", n: docket.NewReport{Type: "report/watchlist", Status: docket.ReportReady, Matched: true},
			wantStatus: docket.ReportReady, wantMatched: true,
			wantEvents: []string{docket.EventReportCreated, docket.EventReportReady, docket.EventReportMatched}},
	}
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				created := clock.Add(time.Second)
				r := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, tc.n))
				if !docket.ValidID(docket.PrefixReport, r.ID) || r.Type != tc.n.Type {
					t.Fatalf("created report: %+v", r)
				}
				if (r.Status == docket.ReportPending) != (r.CompletedAt == nil) {
					t.Fatalf("status %s with completed-at %v", r.Status, r.CompletedAt)
				}
				finished := created
				if tc.finish != nil {
					if r.Status != docket.ReportPending {
						t.Fatalf("new report is %s, want pending", r.Status)
					}
					finished = clock.Add(time.Second)
					objOK[*docket.Report](t)(s.FinishReport(objCtx, apiActor, r.ID, tc.finish.status, tc.finish.matched, tc.finish.result))
				}
				got := objOK[*docket.Report](t)(s.FindReport(objCtx, r.ID))
				if got.Status != tc.wantStatus || got.Matched != tc.wantMatched {
					t.Fatalf("report is %s matched=%v, want %s matched=%v", got.Status, got.Matched, tc.wantStatus, tc.wantMatched)
				}
				if tc.wantStatus != docket.ReportPending && (got.CompletedAt == nil || !got.CompletedAt.Equal(finished)) {
					t.Fatalf("completed-at %v, want %v", got.CompletedAt, finished)
				}
				if tc.finish != nil && tc.finish.result != nil && objJSON(t, got.Result) != objJSON(t, tc.finish.result) {
					t.Fatalf("result %s", objJSON(t, got.Result))
				}
				objWantNames(t, "events", objEventNames(t, s, r.ID), tc.wantEvents...)
				if tc.wantStatus == docket.ReportPending {
					return
				}
				// A finished report cannot finish again.
				for _, st := range []string{docket.ReportReady, docket.ReportErrored} {
					_, err := s.FinishReport(objCtx, apiActor, r.ID, st, false, map[string]any{"x": 1})
					objWantErr(t, err, docket.EInvalid, "")
				}
				if again := objOK[*docket.Report](t)(s.FindReport(objCtx, r.ID)); objJSON(t, again) != objJSON(t, got) {
					t.Fatalf("refused finish changed the report: %s", objJSON(t, again))
				}
				objWantNames(t, "events after refusal", objEventNames(t, s, r.ID), tc.wantEvents...)
			})
		}
		r := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, docket.NewReport{Type: "report/watchlist"}))
		_, err := s.FinishReport(objCtx, apiActor, r.ID, docket.ReportPending, false, nil)
		objWantErr(t, err, docket.EInvalid, "status")
		_, err = s.FinishReport(objCtx, apiActor, docket.NewID(docket.PrefixReport), docket.ReportReady, false, nil)
		objWantErr(t, err, docket.ENotFound, "")
	})
}

func TestObjectReportLinks(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("cust-7")}))
		other := &docket.Account{ReferenceID: objPtr("cust-8")}
		if err := s.CreateAccount(objCtx, apiActor, other); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			n       docket.NewReport
			account *string
		}{
			{"inherits the inquiry's account", docket.NewReport{Type: "report/watchlist", InquiryID: &q.ID}, q.AccountID},
			{"explicit account beats the inquiry's", docket.NewReport{Type: "report/watchlist", InquiryID: &q.ID, AccountID: &other.ID}, &other.ID},
			{"reference id links its account", docket.NewReport{Type: "report/profile", ReferenceID: objPtr("cust-8")}, &other.ID},
			{"no link", docket.NewReport{Type: "report/profile"}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, tc.n))
				got := objOK[*docket.Report](t)(s.FindReport(objCtx, r.ID))
				if (got.AccountID == nil) != (tc.account == nil) || (got.AccountID != nil && *got.AccountID != *tc.account) {
					t.Fatalf("account %v, want %v", got.AccountID, tc.account)
				}
			})
		}
		if n := len(objAccounts(t, s, "")); n != 2 {
			t.Fatalf("%d accounts, want 2", n)
		}
		l, _, err := s.ListReports(objCtx, docket.ReportFilter{InquiryID: q.ID, Page: docket.Page{Size: 10}})
		if err != nil || len(l) != 2 {
			t.Fatalf("reports of the inquiry: %d %v", len(l), err)
		}
		l, _, err = s.ListReports(objCtx, docket.ReportFilter{Type: "report/profile", AccountID: other.ID, Page: docket.Page{Size: 10}})
		if err != nil || len(l) != 1 {
			t.Fatalf("profile reports of the account: %d %v", len(l), err)
		}
	})
}

func TestObjectReportRedact(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		done := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, docket.NewReport{Type: "report/watchlist",
			ReferenceID: objPtr("secret-ref"), Tags: []string{"secret-tag"}}))
		objOK[*docket.Report](t)(s.FinishReport(objCtx, apiActor, done.ID, docket.ReportReady, true, map[string]any{"name": "Secret Match"}))
		pending := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, docket.NewReport{Type: "report/watchlist"}))
		for _, id := range []string{done.ID, pending.ID} {
			r := objOK[*docket.Report](t)(s.RedactReport(objCtx, apiActor, id))
			got := objOK[*docket.Report](t)(s.FindReport(objCtx, id))
			for _, x := range []*docket.Report{r, got} {
				if x.RedactedAt == nil || x.ReferenceID != nil || len(x.Result) != 0 || len(x.Tags) != 0 {
					t.Fatalf("redacted report: %+v", x)
				}
			}
			for _, e := range objEvents(t, s, docket.EventFilter{ObjectID: id}) {
				if strings.Contains(strings.ToLower(string(e.Object)), "secret") {
					t.Errorf("event %s still holds personal data: %s", e.Name, e.Object)
				}
			}
		}
		objWantNames(t, "events", objEventNames(t, s, done.ID), docket.EventReportCreated, docket.EventReportReady,
			docket.EventReportMatched, docket.EventReportRedacted)
		// A late vendor answer must not write data back into a redacted report.
		_, err := s.FinishReport(objCtx, apiActor, pending.ID, docket.ReportReady, true, map[string]any{"name": "Late Secret"})
		objWantErr(t, err, docket.EConflict, "")
		if got := objOK[*docket.Report](t)(s.FindReport(objCtx, pending.ID)); got.Status != docket.ReportPending || len(got.Result) != 0 {
			t.Fatalf("finish after redaction changed the report: %+v", got)
		}
	})
}
