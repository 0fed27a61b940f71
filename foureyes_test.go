package docket_test

import (
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// TestCheckConfirm is the four-eyes rule of who may confirm (or send back) a proposal:
// a person other than the proposer, whatever credential either used, with the
// permission to confirm decisions.
func TestCheckConfirm(t *testing.T) {
	t.Parallel()
	person := func(id, role string) *docket.User { return &docket.User{ID: id, Role: role} }
	ada, max, mia := person("user_ada", docket.RoleReviewer), person("user_max", docket.RoleManager), person("user_mia", docket.RoleManager)
	root := person("user_root", docket.RoleAdmin)
	key := func(id string, u *docket.User, scopes ...string) *docket.APIKey {
		k := &docket.APIKey{ID: id, Scopes: scopes}
		if u != nil {
			k.UserID = &u.ID
		}
		return k
	}
	proposed := func(by docket.Actor, userID string) *docket.Case {
		return &docket.Case{Name: "KYC-1", Status: "Open", Proposal: &docket.Proposal{Status: "Declined", By: by, ByUserID: userID, At: time.Now()}}
	}
	byMax := proposed(docket.Actor{Type: docket.ActorUser, ID: max.ID}, max.ID)
	byMaxKey := proposed(docket.Actor{Type: docket.ActorAPIKey, ID: "key_max"}, max.ID)
	byRun := proposed(docket.Actor{Type: docket.ActorWorkflowRun, ID: "wfr_1"}, "")
	byBareKey := proposed(docket.Actor{Type: docket.ActorAPIKey, ID: "key_bare"}, "")
	for _, tt := range []struct {
		name string
		p    docket.Principal
		c    *docket.Case
		want string // error code, "" allowed
	}{
		{"another manager confirms", docket.UserPrincipal(mia), byMax, ""},
		{"an admin confirms", docket.UserPrincipal(root), byMax, ""},
		{"another manager's own key confirms", docket.KeyPrincipal(key("key_mia", mia, docket.ScopeAll), mia), byMax, ""},
		{"the proposer in the dashboard", docket.UserPrincipal(max), byMax, docket.EForbidden},
		{"the proposer with their own key", docket.KeyPrincipal(key("key_max2", max, docket.ScopeCaseWrite), max), byMax, docket.EForbidden},
		{"the proposer in the dashboard, proposed by key", docket.UserPrincipal(max), byMaxKey, docket.EForbidden},
		{"a key without a user", docket.KeyPrincipal(key("key_bare", nil, docket.ScopeAll), nil), byMax, docket.EForbidden},
		{"a key without a user, its own proposal", docket.KeyPrincipal(key("key_bare", nil, docket.ScopeAll), nil), byBareKey, docket.EForbidden},
		{"a person confirms a workflow's proposal", docket.UserPrincipal(mia), byRun, ""},
		{"a person confirms a bare key's proposal", docket.UserPrincipal(max), byBareKey, ""},
		{"a reviewer may not confirm", docket.UserPrincipal(ada), byMax, docket.EForbidden},
		{"a reviewer's key may not either", docket.KeyPrincipal(key("key_ada", ada, docket.ScopeAll), ada), byMax, docket.EForbidden},
		{"a manager's key without case.write", docket.KeyPrincipal(key("key_mia", mia, docket.ScopeCaseRead), mia), byMax, docket.EForbidden},
		{"nobody", docket.Principal{}, byMax, docket.EForbidden},
		{"no proposal", docket.UserPrincipal(mia), &docket.Case{Name: "KYC-2", Status: "Open"}, docket.EConflict},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := docket.ErrorCode(tt.p.CheckConfirm(tt.c)); got != tt.want {
				t.Fatalf("CheckConfirm: %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckProposal covers the part of the rule the store applies under the row lock.
func TestCheckProposal(t *testing.T) {
	t.Parallel()
	c := &docket.Case{Name: "KYC-1", Proposal: &docket.Proposal{Status: "Declined", ByUserID: "user_max"}}
	mia := docket.Confirmer{Actor: docket.Actor{Type: docket.ActorUser, ID: "user_mia"}, UserID: "user_mia"}
	run := docket.Confirmer{Actor: docket.Actor{Type: docket.ActorWorkflowRun, ID: "wfr_1"}}
	for _, tt := range []struct {
		name   string
		by     docket.Confirmer
		status string
		code   string
		field  string
	}{
		{"the proposal as seen", mia, "Declined", "", ""},
		{"whatever is proposed", mia, "", "", ""},
		{"another status than proposed", mia, "Approved", docket.EConflict, "status"},
		{"no person (a workflow run)", run, "", docket.EForbidden, ""},
		{"the proposer", docket.Confirmer{Actor: docket.Actor{Type: docket.ActorAPIKey, ID: "key_1"}, UserID: "user_max"}, "", docket.EForbidden, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.by.CheckProposal(c, tt.status)
			field, _ := docket.ErrorField(err)
			if docket.ErrorCode(err) != tt.code || field != tt.field {
				t.Fatalf("CheckProposal: %v, want %q at %q", err, tt.code, tt.field)
			}
		})
	}
	if err := (&docket.Case{}).CheckStatusChange(); err != nil {
		t.Fatalf("no proposal: %v", err)
	}
	if err := c.CheckStatusChange(); docket.ErrorCode(err) != docket.EConflict {
		t.Fatalf("a pending proposal: %v, want a conflict", err)
	}
}

// TestFourEyesStatuses checks that only end statuses of the template, once each, may
// need a second person.
func TestFourEyesStatuses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		statuses []string
		field    string
	}{
		{nil, ""},
		{[]string{"Declined"}, ""},
		{[]string{"Declined", "Approved"}, ""},
		{[]string{"Pending"}, "four-eyes-statuses[0]"},
		{[]string{"Declined", "Open"}, "four-eyes-statuses[1]"},
		{[]string{"Rejected"}, "four-eyes-statuses[0]"},
		{[]string{"declined"}, "four-eyes-statuses[0]"},
		{[]string{"Declined", "Declined"}, "four-eyes-statuses[1]"},
	} {
		tm := &docket.CaseTemplate{Name: "KYC", Key: "KYC", FourEyesStatuses: tt.statuses}
		tm.ApplyDefaults()
		field, _ := docket.ErrorField(tm.Validate())
		if field != tt.field {
			t.Errorf("%v: error at %q, want %q", tt.statuses, field, tt.field)
		}
		if tt.field == "" && len(tt.statuses) > 0 && (!tm.NeedsConfirmation(tt.statuses[0]) || tm.NeedsConfirmation("Open")) {
			t.Errorf("%v: NeedsConfirmation is wrong", tt.statuses)
		}
	}
}
