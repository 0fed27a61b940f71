package docket_test

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// roleMatrix is the README's table: which roles hold each permission (v viewer,
// r reviewer, m manager, a admin) and the scope that grants it to keys. It is written out
// rather than derived so that a change to the rules has to change this table too.
var roleMatrix = []struct {
	perm  docket.Permission
	roles string
	scope string
}{
	{docket.PermReadCases, "vrma", docket.ScopeCaseRead},
	{docket.PermWorkCases, "rma", docket.ScopeCaseWrite},
	{docket.PermAssignOthers, "ma", docket.ScopeCaseWrite},
	{docket.PermBulkActions, "ma", docket.ScopeCaseWrite},
	{docket.PermRedactCases, "a", docket.ScopeCaseWrite},
	{docket.PermManageQueues, "ma", docket.ScopeCaseWrite},
	{docket.PermReadTemplates, "vrma", docket.ScopeTemplateRead},
	{docket.PermManageTemplates, "a", docket.ScopeTemplateWrite},
	{docket.PermReadUsers, "vrma", docket.ScopeUserRead},
	{docket.PermManageUsers, "a", docket.ScopeUserWrite},
	{docket.PermReadNotifications, "vrma", docket.ScopeUserRead},
	{docket.PermMarkNotifications, "vrma", docket.ScopeUserWrite},
	{docket.PermManageWebhooks, "a", docket.ScopeWebhookWrite},
	{docket.PermReadWorkflows, "vrma", docket.ScopeWorkflowRead},
	{docket.PermManageWorkflows, "a", docket.ScopeWorkflowWrite},
	{docket.PermManageAPIKeys, "a", docket.ScopeAPIKeyWrite},
	{docket.PermReadObjects, "vrma", docket.ScopeObjectRead},
	{docket.PermWriteObjects, "rma", docket.ScopeObjectWrite},
	{docket.PermRedactObjects, "a", docket.ScopeObjectWrite},
	{docket.PermManageTransactionTypes, "a", docket.ScopeObjectWrite},
	{docket.PermReadEvents, "vrma", docket.ScopeEventRead},
	{docket.PermReadSARs, "ma", docket.ScopeSARFile},
	{docket.PermManageSARs, "a", docket.ScopeSARFile},
	{docket.PermSaveViews, "vrma", docket.ScopeUserWrite},
	{docket.PermAudit, "a", docket.ScopeAuditRead},
	{docket.PermConfirmDecisions, "ma", docket.ScopeCaseWrite},
	{docket.PermReadIdentifiers, "ma", docket.ScopeIdentifierRead},
	{docket.PermManageWatchlists, "a", docket.ScopeTemplateWrite},
	{docket.PermReadAnalytics, "ma", docket.ScopeAnalyticsRead},
}

var roleLetters = map[string]string{docket.RoleViewer: "v", docket.RoleReviewer: "r", docket.RoleManager: "m", docket.RoleAdmin: "a"}

func TestRoleMatrixCoversEveryPermission(t *testing.T) {
	t.Parallel()
	if len(roleMatrix) != len(docket.Permissions) {
		t.Fatalf("matrix has %d rows, docket.Permissions %d", len(roleMatrix), len(docket.Permissions))
	}
	for i, row := range roleMatrix {
		if docket.Permissions[i] != row.perm {
			t.Errorf("row %d is %s, docket.Permissions has %s", i, row.perm, docket.Permissions[i])
		}
		if row.perm.Scope() != row.scope {
			t.Errorf("%s: scope %q, want %q", row.perm, row.perm.Scope(), row.scope)
		}
	}
}

func TestUserCan(t *testing.T) {
	t.Parallel()
	for _, row := range roleMatrix {
		for _, role := range docket.Roles {
			want := strings.Contains(row.roles, roleLetters[role])
			u := &docket.User{ID: "user_1", Role: role}
			if got := docket.UserPrincipal(u).Can(row.perm); got != want {
				t.Errorf("%s may %s: got %v, want %v", role, row.perm, got, want)
			}
			if got := docket.RoleCan(role, row.perm); got != want {
				t.Errorf("RoleCan(%s, %s) = %v, want %v", role, row.perm, got, want)
			}
		}
		if docket.UserPrincipal(&docket.User{ID: "user_1", Role: "owner"}).Can(row.perm) {
			t.Errorf("an unknown role may %s", row.perm)
		}
	}
}

func TestKeyCan(t *testing.T) {
	t.Parallel()
	for _, row := range roleMatrix {
		for _, tt := range []struct {
			name   string
			scopes []string
			want   bool
		}{
			{"exact scope", []string{row.scope}, true},
			{"every scope", []string{docket.ScopeAll}, true},
			{"other scopes", otherScopes(row.scope), false},
		} {
			p := docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: tt.scopes}, nil)
			if got := p.Can(row.perm); got != tt.want {
				t.Errorf("key with %s may %s: got %v, want %v", tt.name, row.perm, got, tt.want)
			}
		}
	}
}

// otherScopes returns every scope except scope and "*".
func otherScopes(scope string) []string {
	var out []string
	for _, s := range docket.Scopes {
		if s != scope && s != docket.ScopeAll {
			out = append(out, s)
		}
	}
	return out
}

// TestUserKeyCan checks that a key that belongs to a user acts with the lesser of its
// scopes and the user's role, for every role, permission and kind of key.
func TestUserKeyCan(t *testing.T) {
	t.Parallel()
	uid := "user_1"
	for _, row := range roleMatrix {
		for _, role := range docket.Roles {
			roleAllows := strings.Contains(row.roles, roleLetters[role])
			for _, key := range []struct {
				name   string
				scopes []string
				allows bool
			}{
				{"all scopes", []string{docket.ScopeAll}, true},
				{"the scope", []string{row.scope}, true},
				{"other scopes", otherScopes(row.scope), false},
			} {
				k := &docket.APIKey{ID: "api_1", Scopes: key.scopes, UserID: &uid}
				p := docket.KeyPrincipal(k, &docket.User{ID: uid, Role: role})
				want := roleAllows && key.allows
				if got := p.Can(row.perm); got != want {
					t.Errorf("%s key of a %s may %s: got %v, want %v", key.name, role, row.perm, got, want)
				}
				if !want && p.Refusal(row.perm) == "" {
					t.Errorf("%s key of a %s: empty refusal for %s", key.name, role, row.perm)
				}
			}
		}
	}
}

func TestPrincipalFailsClosed(t *testing.T) {
	t.Parallel()
	uid, other := "user_1", "user_2"
	admin := &docket.User{ID: uid, Role: docket.RoleAdmin}
	all := []string{docket.ScopeAll}
	for _, tt := range []struct {
		name string
		p    docket.Principal
	}{
		{"nobody", docket.Principal{}},
		{"key of a user, user not loaded", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: all, UserID: &uid}, nil)},
		{"key of a user, another user loaded", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: all, UserID: &other}, admin)},
		{"key of nobody, with a user", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: all}, admin)},
	} {
		for _, perm := range docket.Permissions {
			if tt.p.Can(perm) {
				t.Errorf("%s may %s", tt.name, perm)
			}
		}
		if tt.p.CanSeeTemplate(&docket.CaseTemplate{ID: "ctmpl_1"}) {
			t.Errorf("%s sees a template visible to everyone", tt.name)
		}
	}
	if docket.UserPrincipal(admin).Can("fly") {
		t.Error("an admin may do an unknown permission")
	}
}

func TestRefusal(t *testing.T) {
	t.Parallel()
	uid := "user_1"
	reviewer := &docket.User{ID: uid, Role: docket.RoleReviewer}
	for _, tt := range []struct {
		name string
		p    docket.Principal
		want string
	}{
		{"key without the scope", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeCaseRead}}, nil),
			"this API key lacks the case.write scope"},
		{"user key without the scope", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeCaseRead}, UserID: &uid}, reviewer),
			"this API key lacks the case.write scope"},
		{"user key, role too low", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeAll}, UserID: &uid}, reviewer),
			"this API key acts for a user with the reviewer role, who may not redact cases"},
		{"session, role too low", docket.UserPrincipal(reviewer), "a user with the reviewer role may not redact cases"},
	} {
		if got := tt.p.Refusal(docket.PermRedactCases); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCanSeeTemplate(t *testing.T) {
	t.Parallel()
	uid := "user_1"
	tmpl := func(roles ...string) *docket.CaseTemplate {
		return &docket.CaseTemplate{ID: "ctmpl_1", VisibleToRoles: roles}
	}
	for _, tt := range []struct {
		name    string
		t       *docket.CaseTemplate
		role    string
		userSee bool
	}{
		{"empty list shows everyone", tmpl(), docket.RoleViewer, true},
		{"listed role", tmpl(docket.RoleReviewer, docket.RoleManager), docket.RoleReviewer, true},
		{"unlisted role", tmpl(docket.RoleAdmin), docket.RoleReviewer, false},
		{"admin is not special", tmpl(docket.RoleReviewer), docket.RoleAdmin, false},
		{"every role", tmpl(docket.Roles...), docket.RoleViewer, true},
	} {
		u := &docket.User{ID: uid, Role: tt.role}
		if got := docket.UserPrincipal(u).CanSeeTemplate(tt.t); got != tt.userSee {
			t.Errorf("%s: user sees %v, want %v", tt.name, got, tt.userSee)
		}
		k := &docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeCaseRead}, UserID: &uid}
		if got := docket.KeyPrincipal(k, u).CanSeeTemplate(tt.t); got != tt.userSee {
			t.Errorf("%s: user's key sees %v, want %v", tt.name, got, tt.userSee)
		}
		unbound := &docket.APIKey{ID: "api_2", Scopes: []string{docket.ScopeCaseRead}}
		if !docket.KeyPrincipal(unbound, nil).CanSeeTemplate(tt.t) {
			t.Errorf("%s: a key without a user does not see the template", tt.name)
		}
	}
	if docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleAdmin}).CanSeeTemplate(nil) {
		t.Error("a missing template is visible")
	}
}

// TestCanEditField: a field's editable-by-roles admits only the roles it lists, among
// those who work cases; keys without a user are limited by their scopes alone.
func TestCanEditField(t *testing.T) {
	t.Parallel()
	uid := "user_1"
	open := docket.FieldSchema{Key: "note", Type: docket.FieldString}
	managers := docket.FieldSchema{Key: "risk", Type: docket.FieldString, EditableByRoles: []string{docket.RoleManager}}
	for _, tt := range []struct {
		name  string
		p     docket.Principal
		field docket.FieldSchema
		want  bool
	}{
		{"reviewer, any role may", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleReviewer}), open, true},
		{"viewer never", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleViewer}), open, false},
		{"listed role", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleManager}), managers, true},
		{"unlisted role", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleReviewer}), managers, false},
		{"admin is not special", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleAdmin}), managers, false},
		{"the user's key", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeCaseWrite}, UserID: &uid},
			&docket.User{ID: uid, Role: docket.RoleReviewer}), managers, false},
		{"a key without a user", docket.KeyPrincipal(&docket.APIKey{ID: "api_2", Scopes: []string{docket.ScopeCaseWrite}}, nil), managers, true},
		{"a key without case.write", docket.KeyPrincipal(&docket.APIKey{ID: "api_3", Scopes: []string{docket.ScopeCaseRead}}, nil), open, false},
	} {
		if got := tt.p.CanEditField(tt.field); got != tt.want {
			t.Errorf("%s: CanEditField %v, want %v", tt.name, got, tt.want)
		}
	}
	tm := &docket.CaseTemplate{FieldSchemas: []docket.FieldSchema{open, managers}}
	reviewer := docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleReviewer})
	if err := reviewer.CheckFieldEdits(tm, map[string]any{"note": "x"}); err != nil {
		t.Errorf("reviewer may change note: %v", err)
	}
	err := reviewer.CheckFieldEdits(tm, map[string]any{"note": "x", "risk": nil})
	if field, msg := docket.ErrorField(err); docket.ErrorCode(err) != docket.EForbidden || field != "fields.risk" || !strings.Contains(msg, "manager") {
		t.Errorf("reviewer changing risk: %v, want forbidden at fields.risk naming the roles", err)
	}
}

func TestVisibility(t *testing.T) {
	t.Parallel()
	uid := "user_1"
	templates := []*docket.CaseTemplate{
		{ID: "ctmpl_open", VisibleToRoles: nil},
		{ID: "ctmpl_all", VisibleToRoles: docket.Roles},
		{ID: "ctmpl_admin", VisibleToRoles: []string{docket.RoleAdmin}},
		{ID: "ctmpl_staff", VisibleToRoles: []string{docket.RoleReviewer, docket.RoleManager}},
	}
	for _, tt := range []struct {
		name string
		p    docket.Principal
		want []string
	}{
		{"viewer", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleViewer}), []string{"ctmpl_admin", "ctmpl_staff"}},
		{"reviewer", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleReviewer}), []string{"ctmpl_admin"}},
		{"admin", docket.UserPrincipal(&docket.User{ID: uid, Role: docket.RoleAdmin}), []string{"ctmpl_staff"}},
		{"key", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeAll}}, nil), nil},
		{"nobody", docket.Principal{}, []string{"ctmpl_open", "ctmpl_all", "ctmpl_admin", "ctmpl_staff"}},
	} {
		v := tt.p.Visibility(templates)
		if strings.Join(v.HiddenTemplateIDs, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s hides %v, want %v", tt.name, v.HiddenTemplateIDs, tt.want)
		}
		if v.Restricted() != (len(tt.want) > 0) {
			t.Errorf("%s: Restricted() = %v", tt.name, v.Restricted())
		}
		for _, tmpl := range templates {
			if v.Hides(tmpl.ID) == tt.p.CanSeeTemplate(tmpl) {
				t.Errorf("%s: Hides(%s) disagrees with CanSeeTemplate", tt.name, tmpl.ID)
			}
		}
	}
	merged := docket.Visibility{HiddenTemplateIDs: []string{"a", "b"}}.Merge(docket.Visibility{HiddenTemplateIDs: []string{"b", "c"}})
	if strings.Join(merged.HiddenTemplateIDs, ",") != "a,b,c" {
		t.Errorf("merge: %v", merged.HiddenTemplateIDs)
	}
}

func TestActor(t *testing.T) {
	t.Parallel()
	uid := "user_1"
	u := &docket.User{ID: uid, Role: docket.RoleReviewer}
	for _, tt := range []struct {
		name string
		p    docket.Principal
		want docket.Actor
	}{
		{"session", docket.UserPrincipal(u), docket.Actor{Type: docket.ActorUser, ID: uid}},
		{"key", docket.KeyPrincipal(&docket.APIKey{ID: "api_1"}, nil), docket.Actor{Type: docket.ActorAPIKey, ID: "api_1"}},
		{"user's key", docket.KeyPrincipal(&docket.APIKey{ID: "api_2", UserID: &uid}, u), docket.Actor{Type: docket.ActorAPIKey, ID: "api_2"}},
		{"nobody", docket.Principal{}, docket.Actor{Type: docket.ActorSystem, ID: "system"}},
	} {
		if got := tt.p.Actor(); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestCanAssign(t *testing.T) {
	t.Parallel()
	person := func(id, role string) docket.Principal { return docket.UserPrincipal(&docket.User{ID: id, Role: role}) }
	ada, boss, reader := person("user_ada", docket.RoleReviewer), person("user_boss", docket.RoleManager), person("user_vic", docket.RoleViewer)
	key := docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeCaseWrite}}, nil)
	for _, tt := range []struct {
		name         string
		p            docket.Principal
		holder, next string
		want         bool
	}{
		{"a reviewer claims a free case", ada, "", "user_ada", true},
		{"a reviewer gives up their own", ada, "user_ada", "", true},
		{"a reviewer gives a free case away", ada, "", "user_bob", false},
		{"a reviewer takes another's case", ada, "user_bob", "user_ada", false},
		{"a reviewer releases another's case", ada, "user_bob", "", false},
		{"a reviewer gives their own away", ada, "user_ada", "user_bob", false},
		{"a manager reassigns", boss, "user_bob", "user_ada", true},
		{"a manager releases another's case", boss, "user_bob", "", true},
		{"a viewer claims", reader, "", "user_vic", false},
		{"a key without a user assigns", key, "user_bob", "user_ada", true},
		{"nobody", docket.Principal{}, "", "", false},
	} {
		if got := tt.p.CanAssign(tt.holder, tt.next); got != tt.want {
			t.Errorf("%s: CanAssign(%q, %q) = %v, want %v", tt.name, tt.holder, tt.next, got, tt.want)
		}
	}
}

func TestCanSeeRunData(t *testing.T) {
	t.Parallel()
	hidden := docket.Visibility{HiddenTemplateIDs: []string{"ctmpl_1"}}
	for _, tt := range []struct {
		name string
		p    docket.Principal
		vis  docket.Visibility
		want bool
	}{
		{"a viewer who sees everything", docket.UserPrincipal(&docket.User{ID: "user_1", Role: docket.RoleViewer}), docket.Visibility{}, true},
		{"a person from whom a template is hidden", docket.UserPrincipal(&docket.User{ID: "user_1", Role: docket.RoleAdmin}), hidden, false},
		{"a key that reads workflows only", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeWorkflowRead}}, nil), docket.Visibility{}, false},
		{"a key that reads all three", docket.KeyPrincipal(&docket.APIKey{ID: "api_1", Scopes: []string{docket.ScopeWorkflowRead, docket.ScopeCaseRead, docket.ScopeObjectRead}}, nil), docket.Visibility{}, true},
	} {
		if got := tt.p.CanSeeRunData(tt.vis); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
