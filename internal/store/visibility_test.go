package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// visibilityFixture has two templates, one visible to everyone and one to admins only,
// with two cases each, all in one queue; the admin-only cases are the most urgent.
type visibilityFixture struct {
	open, secret       *docket.CaseTemplate
	openCases, secrets []*docket.Case
	queue              *docket.CaseQueue
	reviewer, admin    *docket.User
	hideSecret         docket.Visibility // what the reviewer may not see
}

func newVisibilityFixture(t *testing.T, s *store.Store) *visibilityFixture {
	t.Helper()
	f := &visibilityFixture{reviewer: mkUser(t, s, "rita@example.com")}
	f.admin = &docket.User{Email: "ada@example.com", Name: "Ada", Role: docket.RoleAdmin}
	noErr(t, s.CreateUser(ctx, apiActor, f.admin))
	f.open = mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
	f.secret = mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR", VisibleToRoles: []string{docket.RoleAdmin},
		NotificationPolicy: docket.NotificationPolicy{Emails: []string{f.reviewer.Email, f.admin.Email}}})
	f.queue = mkQueue(t, s, "All", docket.CaseQueueFilter{TemplateIDs: []string{f.open.ID, f.secret.ID}})
	sla := int64(60)
	for range 2 {
		f.openCases = append(f.openCases, mkCase(t, s, docket.NewCase{TemplateID: f.open.ID}))
		f.secrets = append(f.secrets, mkCase(t, s, docket.NewCase{TemplateID: f.secret.ID, SLAExpiresInSecond: &sla}))
	}
	f.hideSecret = must[docket.Visibility](t)(docket.LoadVisibility(ctx, docket.UserPrincipal(f.reviewer), s))
	if !slices.Equal(f.hideSecret.HiddenTemplateIDs, []string{f.secret.ID}) {
		t.Fatalf("reviewer's visibility: %+v", f.hideSecret)
	}
	return f
}

func caseIDs(cases []*docket.Case) []string {
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	slices.Sort(ids)
	return ids
}

func TestVisibilityFiltersCaseReads(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		f := newVisibilityFixture(t, s)
		all, visible := caseIDs(append(slices.Clone(f.openCases), f.secrets...)), caseIDs(f.openCases)
		search := &docket.Predicate{Attribute: "status", Operator: docket.OpEq, Value: "Open"}
		for _, tt := range []struct {
			name string
			vis  docket.Visibility
			want []string
		}{
			{"no restriction", docket.Visibility{}, all},
			{"reviewer", f.hideSecret, visible},
		} {
			if got := caseIDs(allCases(t, s, docket.CaseFilter{Visibility: tt.vis})); !slices.Equal(got, tt.want) {
				t.Errorf("%s: list %v, want %v", tt.name, got, tt.want)
			}
			if got := caseIDs(allCases(t, s, docket.CaseFilter{QueueID: f.queue.ID, Visibility: tt.vis})); !slices.Equal(got, tt.want) {
				t.Errorf("%s: queue list %v, want %v", tt.name, got, tt.want)
			}
			found, _ := must2[*docket.Case](t)(s.SearchCases(ctx, docket.SearchQuery{Where: search, Visibility: tt.vis, Page: docket.Page{Size: 100}}))
			if got := caseIDs(found); !slices.Equal(got, tt.want) {
				t.Errorf("%s: search %v, want %v", tt.name, got, tt.want)
			}
			for _, cf := range []docket.CaseFilter{{Visibility: tt.vis}, {QueueID: f.queue.ID, Visibility: tt.vis}, {Status: "Open", Visibility: tt.vis}} {
				if n := must[int](t)(s.CountCases(ctx, cf, 1000)); n != len(tt.want) {
					t.Errorf("%s: count %+v = %d, want %d", tt.name, cf, n, len(tt.want))
				}
			}
		}
		// A hidden template named in the filter yields nothing rather than its cases.
		if got := allCases(t, s, docket.CaseFilter{TemplateID: f.secret.ID, Visibility: f.hideSecret}); len(got) != 0 {
			t.Errorf("filter by hidden template: %v", caseIDs(got))
		}
		for _, tt := range []struct {
			f     docket.CaseFilter
			limit int
			want  int
		}{
			{docket.CaseFilter{}, 3, 3},
			{docket.CaseFilter{}, 4, 4},
			{docket.CaseFilter{QueueID: "cqueue_01h455vb4pex5vsknk084sn02q"}, 10, 0},
			{docket.CaseFilter{Status: "Approved"}, 10, 0},
		} {
			if n := must[int](t)(s.CountCases(ctx, tt.f, tt.limit)); n != tt.want {
				t.Errorf("count %+v up to %d = %d, want %d", tt.f, tt.limit, n, tt.want)
			}
		}
	})
}

func TestClaimPassesOverHiddenCases(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		f := newVisibilityFixture(t, s)
		actor := docket.Actor{Type: docket.ActorAPIKey, ID: "api_test"}
		// The reviewer's own role keeps the (more urgent) admin-only cases from them,
		// even when the requester may see everything.
		var got []string
		for range 2 {
			c := caseOK(t)(s.ClaimNextCase(ctx, actor, f.queue.ID, f.reviewer.Email, docket.Visibility{}))
			got = append(got, c.ID)
		}
		if slices.Sort(got); !slices.Equal(got, caseIDs(f.openCases)) {
			t.Fatalf("reviewer claimed %v, want %v", got, caseIDs(f.openCases))
		}
		if _, err := s.ClaimNextCase(ctx, actor, f.queue.ID, f.reviewer.Email, docket.Visibility{}); !errors.Is(err, docket.ErrQueueEmpty) {
			t.Fatalf("reviewer's queue should look empty: %v", err)
		}
		// A requester who may not see the admin-only template cannot hand its cases out.
		_, err := s.ClaimNextCase(ctx, actor, f.queue.ID, f.admin.Email, f.hideSecret)
		if !errors.Is(err, docket.ErrQueueEmpty) {
			t.Fatalf("claim hidden from the requester: %v", err)
		}
		c := caseOK(t)(s.ClaimNextCase(ctx, actor, f.queue.ID, f.admin.Email, docket.Visibility{}))
		if c.TemplateID != f.secret.ID {
			t.Fatalf("admin claimed %s of %s", c.ID, c.TemplateID)
		}
	})
}

func TestVisibilityFiltersEvents(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		f := newVisibilityFixture(t, s)
		hiddenComment := must[*docket.Comment](t)(s.AddComment(ctx, apiActor, f.secrets[0].ID, "looks bad"))
		openComment := must[*docket.Comment](t)(s.AddComment(ctx, apiActor, f.openCases[0].ID, "looks fine"))
		hidden := map[string]bool{f.secrets[0].ID: true, f.secrets[1].ID: true, hiddenComment.ID: true}
		for _, tt := range []struct {
			name     string
			vis      docket.Visibility
			wantSeen bool
		}{
			{"no restriction", docket.Visibility{}, true},
			{"reviewer", f.hideSecret, false},
		} {
			seen := map[string]bool{}
			for _, e := range allEvents(t, s, docket.EventFilter{Visibility: tt.vis}) {
				seen[e.ObjectID] = true
			}
			for id := range hidden {
				if seen[id] != tt.wantSeen {
					t.Errorf("%s: events of %s seen: %v", tt.name, id, seen[id])
				}
			}
			for _, id := range []string{f.openCases[0].ID, openComment.ID, f.secret.ID, f.reviewer.ID} {
				if !seen[id] {
					t.Errorf("%s: events of %s missing", tt.name, id)
				}
			}
			if got := allEvents(t, s, docket.EventFilter{ObjectID: f.secrets[0].ID, Visibility: tt.vis}); (len(got) > 0) != tt.wantSeen {
				t.Errorf("%s: %d events by object id of a hidden case", tt.name, len(got))
			}
		}
	})
}

// TestLoadVisibilityReadsEveryTemplate checks that LoadVisibility pages through all
// templates: the restricted one here is the oldest, beyond the first page.
func TestLoadVisibilityReadsEveryTemplate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		secret := mkTemplate(t, s, &docket.CaseTemplate{Name: "Secret", Key: "SECRET", VisibleToRoles: []string{docket.RoleAdmin}})
		for i := range docket.MaxPageSize {
			mkTemplate(t, s, &docket.CaseTemplate{Name: "T", Key: fmt.Sprintf("T%d", i)})
		}
		must[*docket.CaseTemplate](t)(s.ArchiveTemplate(ctx, apiActor, secret.ID))
		uid := "user_1"
		for _, tt := range []struct {
			name string
			p    docket.Principal
			want []string
		}{
			{"reviewer", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleReviewer}), []string{secret.ID}},
			{"admin", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleAdmin}), nil},
			{"key", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeAll}}, nil), nil},
		} {
			v := must[docket.Visibility](t)(docket.LoadVisibility(ctx, tt.p, s))
			if !slices.Equal(v.HiddenTemplateIDs, tt.want) {
				t.Errorf("%s hides %v, want %v", tt.name, v.HiddenTemplateIDs, tt.want)
			}
		}
	})
}

func TestUserAPIKeys(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		u := mkUser(t, s, "rita@example.com")
		secret := docket.NewAPIKeySecret()
		k := must[*docket.APIKey](t)(s.CreateUserAPIKey(ctx, u.ID, "rita's script", []string{docket.ScopeCaseRead}, secret))
		if k.UserID == nil || *k.UserID != u.ID {
			t.Fatalf("created key: %+v", k)
		}
		got := must[*docket.APIKey](t)(s.FindAPIKeyBySecret(ctx, secret))
		if got.ID != k.ID || got.UserID == nil || *got.UserID != u.ID || !slices.Equal(got.Scopes, k.Scopes) {
			t.Fatalf("found key: %+v", got)
		}
		plain := docket.NewAPIKeySecret()
		must[*docket.APIKey](t)(s.CreateAPIKey(ctx, "ci", []string{docket.ScopeAll}, plain))
		if got := must[*docket.APIKey](t)(s.FindAPIKeyBySecret(ctx, plain)); got.UserID != nil {
			t.Fatalf("a key without a user names %s", *got.UserID)
		}
		_, err := s.CreateUserAPIKey(ctx, "user_01h455vb4pex5vsknk084sn02q", "ghost", []string{docket.ScopeAll}, docket.NewAPIKeySecret())
		wantErr(t, err, docket.EInvalid, "user-id")
		_, err = s.CreateUserAPIKey(ctx, u.ID, "bad", []string{"case.delete"}, docket.NewAPIKeySecret())
		wantErr(t, err, docket.EInvalid, "scopes[0]")
	})
}

// TestVisibilityFiltersCaseDetail checks the case detail read model: a hidden case is not
// found, and hidden cases are left out of a visible case's related cases.
func TestVisibilityFiltersCaseDetail(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		f := newVisibilityFixture(t, s)
		act := mkAccount(t, s, "u-1")
		shown := mkCase(t, s, docket.NewCase{TemplateID: f.open.ID, ObjectIDs: []string{act.ID}})
		hidden := mkCase(t, s, docket.NewCase{TemplateID: f.secret.ID, ObjectIDs: []string{act.ID}})
		other := mkCase(t, s, docket.NewCase{TemplateID: f.open.ID, ObjectIDs: []string{act.ID}})
		o := docket.CaseDetailOptions{RelatedCases: true}
		for _, tt := range []struct {
			name string
			vis  docket.Visibility
			want []string
		}{
			{"no restriction", docket.Visibility{}, caseIDs([]*docket.Case{hidden, other})},
			{"reviewer", f.hideSecret, []string{other.ID}},
		} {
			o.Visibility = &tt.vis
			d := must[*docket.CaseDetail](t)(s.FindCaseDetail(ctx, shown.ID, o))
			if got := caseIDs(d.RelatedCases); !slices.Equal(got, tt.want) {
				t.Errorf("%s: related %v, want %v", tt.name, got, tt.want)
			}
		}
		_, err := s.FindCaseDetail(ctx, hidden.ID, o)
		wantErr(t, err, docket.ENotFound, "")
		o.Visibility = nil
		if d := must[*docket.CaseDetail](t)(s.FindCaseDetail(ctx, hidden.ID, o)); d.Case.ID != hidden.ID {
			t.Fatalf("unrestricted detail: %s", d.Case.ID)
		}
	})
}
