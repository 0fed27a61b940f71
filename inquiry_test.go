package docket

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// inquiryStamp reads the timestamp an action must set, by status reached.
var inquiryStamp = map[string]func(q *Inquiry) *time.Time{
	InquiryPending:     func(q *Inquiry) *time.Time { return q.StartedAt },
	InquiryCompleted:   func(q *Inquiry) *time.Time { return q.CompletedAt },
	InquiryFailed:      func(q *Inquiry) *time.Time { return q.FailedAt },
	InquiryExpired:     func(q *Inquiry) *time.Time { return q.ExpiredAt },
	InquiryNeedsReview: func(q *Inquiry) *time.Time { return q.MarkedAt },
	InquiryApproved:    func(q *Inquiry) *time.Time { return q.DecisionedAt },
	InquiryDeclined:    func(q *Inquiry) *time.Time { return q.DecisionedAt },
}

// allInquiryStamps lists every lifecycle timestamp of an inquiry.
func allInquiryStamps(q *Inquiry) map[string]*time.Time {
	return map[string]*time.Time{"started": q.StartedAt, "completed": q.CompletedAt, "failed": q.FailedAt,
		"expired": q.ExpiredAt, "marked": q.MarkedAt, "decisioned": q.DecisionedAt, "redacted": q.RedactedAt}
}

func newTestInquiry(status string) *Inquiry {
	ref := "cust-1"
	return &Inquiry{ID: "inq_test", Status: status, ReferenceID: &ref, Fields: map[string]any{"a": "b"},
		Tags: []string{"t"}, CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// TestInquiryLifecycle tries every action from every status. The expected lifecycle is
// written out here rather than read from InquiryTransitions, so that a change to the
// table that breaks the documented lifecycle fails.
func TestInquiryLifecycle(t *testing.T) {
	t.Parallel()
	type outcome struct{ to, event string }
	allowed := map[string]map[string]outcome{
		InquiryStart: {
			InquiryCreated: {InquiryPending, "inquiry.started"},
		},
		InquiryComplete: {
			InquiryCreated: {InquiryCompleted, "inquiry.completed"},
			InquiryPending: {InquiryCompleted, "inquiry.completed"},
		},
		InquiryFail: {
			InquiryCreated: {InquiryFailed, "inquiry.failed"},
			InquiryPending: {InquiryFailed, "inquiry.failed"},
		},
		InquiryExpire: {
			InquiryCreated: {InquiryExpired, "inquiry.expired"},
			InquiryPending: {InquiryExpired, "inquiry.expired"},
		},
		InquiryMarkForReview: {
			InquiryCompleted: {InquiryNeedsReview, "inquiry.marked-for-review"},
			InquiryFailed:    {InquiryNeedsReview, "inquiry.marked-for-review"},
		},
		InquiryApprove: {
			InquiryCompleted:   {InquiryApproved, "inquiry.approved"},
			InquiryNeedsReview: {InquiryApproved, "inquiry.approved"},
		},
		InquiryDecline: {
			InquiryCompleted:   {InquiryDeclined, "inquiry.declined"},
			InquiryFailed:      {InquiryDeclined, "inquiry.declined"},
			InquiryNeedsReview: {InquiryDeclined, "inquiry.declined"},
		},
	}
	statuses := []string{InquiryCreated, InquiryPending, InquiryCompleted, InquiryFailed, InquiryExpired,
		InquiryNeedsReview, InquiryApproved, InquiryDeclined}
	actions := []string{InquiryStart, InquiryComplete, InquiryFail, InquiryExpire, InquiryMarkForReview, InquiryApprove, InquiryDecline}
	if len(InquiryTransitions) != len(actions) {
		t.Fatalf("InquiryTransitions has %d actions, want %d", len(InquiryTransitions), len(actions))
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	pairs := 0
	for _, action := range actions {
		for _, from := range statuses {
			want, ok := allowed[action][from]
			pairs++
			t.Run(action+"/from-"+from, func(t *testing.T) {
				t.Parallel()
				q := newTestInquiry(from)
				before := *q
				event, err := q.Apply(action, now, nil)
				if !ok {
					if ErrorCode(err) != EInvalid {
						t.Fatalf("%s from %s: got error %v (event %q), want code %q", action, from, err, event, EInvalid)
					}
					if event != "" {
						t.Errorf("refused action returned event %q", event)
					}
					if !reflect.DeepEqual(*q, before) {
						t.Errorf("refused action changed the inquiry:\n got %+v\nwant %+v", *q, before)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s from %s: %v", action, from, err)
				}
				if q.Status != want.to || event != want.event {
					t.Fatalf("%s from %s: got %s/%q, want %s/%q", action, from, q.Status, event, want.to, want.event)
				}
				if !q.UpdatedAt.Equal(now) {
					t.Errorf("updated-at %v, want %v", q.UpdatedAt, now)
				}
				stamp := inquiryStamp[want.to](q)
				if stamp == nil || !stamp.Equal(now) {
					t.Errorf("timestamp of %s is %v, want %v", want.to, stamp, now)
				}
				set := 0
				for name, ts := range allInquiryStamps(q) {
					if ts != nil {
						set++
						if name == "redacted" {
							t.Errorf("redacted-at set by %s", action)
						}
					}
				}
				if set != 1 {
					t.Errorf("%d timestamps set, want only the one of %s: %+v", set, want.to, allInquiryStamps(q))
				}
				if q.ReviewerComment != nil {
					t.Errorf("reviewer comment set without a comment: %q", *q.ReviewerComment)
				}
			})
		}
	}
	if pairs != len(actions)*len(statuses) {
		t.Fatalf("tried %d pairs", pairs)
	}
}

func TestInquiryApplyComment(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	long := strings.Repeat("x", MaxCommentLength+1)
	exact := strings.Repeat("y", MaxCommentLength)
	tests := []struct {
		name, from, action string
		comment            *string
		code, field        string // empty code: allowed
		wantComment        *string
	}{
		{name: "comment on approve", from: InquiryNeedsReview, action: InquiryApprove, comment: ptrTo("looks fine"), wantComment: ptrTo("looks fine")},
		{name: "longest comment", from: InquiryCompleted, action: InquiryDecline, comment: &exact, wantComment: &exact},
		{name: "no comment keeps none", from: InquiryCompleted, action: InquiryMarkForReview},
		{name: "too long comment", from: InquiryNeedsReview, action: InquiryDecline, comment: &long, code: EInvalid, field: "comment"},
		{name: "comment on refused action", from: InquiryApproved, action: InquiryDecline, comment: ptrTo("no"), code: EInvalid},
		{name: "unknown action", from: InquiryCreated, action: "explode", comment: ptrTo("boom"), code: ENotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := newTestInquiry(tc.from)
			before := *q
			_, err := q.Apply(tc.action, now, tc.comment)
			if tc.code != "" {
				var e *Error
				if ErrorCode(err) != tc.code {
					t.Fatalf("got %v, want code %s", err, tc.code)
				}
				if tc.field != "" {
					if e, _ = err.(*Error); e == nil || e.Field != tc.field {
						t.Fatalf("got %v, want field %s", err, tc.field)
					}
				}
				if !reflect.DeepEqual(*q, before) {
					t.Fatalf("refused action changed the inquiry:\n got %+v\nwant %+v", *q, before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(deref(q.ReviewerComment)) != fmt.Sprint(deref(tc.wantComment)) || (q.ReviewerComment == nil) != (tc.wantComment == nil) {
				t.Fatalf("reviewer comment %v, want %v", deref(q.ReviewerComment), deref(tc.wantComment))
			}
		})
	}
}

func ptrTo(s string) *string { return &s }

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
