package docket

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// User roles, from most to least powerful. A role names what a person may do; see
// rolePermissions for the full list.
const (
	RoleAdmin    = "admin"    // also redacts and manages templates, users, webhooks, workflows and keys
	RoleManager  = "manager"  // also reassigns others' cases, runs bulk actions, manages queues, confirms decisions
	RoleReviewer = "reviewer" // works cases: claims, comments, changes status, runs case actions
	RoleViewer   = "viewer"   // reads
)

// Roles lists every role, most powerful first.
var Roles = []string{RoleAdmin, RoleManager, RoleReviewer, RoleViewer}

// Permission is one thing a principal may be allowed to do. Every check in Docket, in
// the API and the dashboard alike, asks Principal.Can for one of these.
type Permission string

// Permissions. Each is granted to API keys by one scope (Permission.Scope) and to
// people by their role.
const (
	PermReadCases Permission = "read-cases"
	// PermWorkCases covers what a reviewer does to a case: create it, edit its fields,
	// change its status, comment, tag, attach objects, run case actions, and assign it
	// to themselves (claim) or give up their own case.
	PermWorkCases Permission = "work-cases"
	// PermAssignOthers allows giving a case to someone else and taking one that
	// someone else holds.
	PermAssignOthers    Permission = "assign-others"
	PermBulkActions     Permission = "bulk-actions"
	PermRedactCases     Permission = "redact-cases"
	PermManageQueues    Permission = "manage-queues"
	PermReadTemplates   Permission = "read-templates"
	PermManageTemplates Permission = "manage-templates"
	PermReadUsers       Permission = "read-users"
	PermManageUsers     Permission = "manage-users"
	// PermReadNotifications and PermMarkNotifications allow a person to read and mark
	// their own notifications; only keys without a user and PermManageUsers reach others'.
	PermReadNotifications Permission = "read-notifications"
	PermMarkNotifications Permission = "mark-notifications"
	PermManageWebhooks    Permission = "manage-webhooks"
	PermReadWorkflows     Permission = "read-workflows"
	PermManageWorkflows   Permission = "manage-workflows"
	PermManageAPIKeys     Permission = "manage-api-keys"
	PermReadObjects       Permission = "read-objects"
	PermWriteObjects      Permission = "write-objects"
	PermRedactObjects     Permission = "redact-objects"
	// PermManageTransactionTypes allows defining transaction types (their schemas).
	PermManageTransactionTypes Permission = "manage-transaction-types"
	PermReadEvents             Permission = "read-events"
	PermReadSARs               Permission = "read-sars"
	PermManageSARs             Permission = "manage-sars"
	// PermConfirmDecisions allows confirming or sending back a decision that a case
	// template wants a second person to confirm (four-eyes); never one's own.
	PermConfirmDecisions Permission = "confirm-decisions"
	// PermSaveViews allows keeping one's own saved case list views (reading them needs
	// PermReadCases only).
	PermSaveViews Permission = "save-views"
	// PermAudit allows reading the audit trail: the access logs (who called the API,
	// who opened or changed what in the dashboard) and the event chain's checks. An
	// administrator's tool, as its answers describe every request and every event.
	PermAudit Permission = "audit"
	// PermReadIdentifiers allows reading people's identifiers (social security and id
	// document numbers) in full; everyone else sees them masked (ShowIdentity).
	PermReadIdentifiers Permission = "read-identifiers"
	// PermManageWatchlists allows creating and importing sanctions and watch lists and
	// managing report templates (their lists and thresholds): what every screening is
	// measured against, so an administrator's.
	PermManageWatchlists Permission = "manage-watchlists"
	// PermReadAnalytics allows reading the analytics figures (volume, resolution times,
	// SLA, resolution mix, per reviewer): a manager's view of the whole team's work.
	PermReadAnalytics Permission = "read-analytics"
)

// permissionInfo gives each permission the API key scope that grants it and a phrase
// for messages ("this user may not redact cases").
var permissionInfo = map[Permission]struct{ scope, phrase string }{
	PermReadCases:              {ScopeCaseRead, "read cases"},
	PermWorkCases:              {ScopeCaseWrite, "work cases"},
	PermAssignOthers:           {ScopeCaseWrite, "assign others' cases"},
	PermBulkActions:            {ScopeCaseWrite, "run bulk actions"},
	PermRedactCases:            {ScopeCaseWrite, "redact cases"},
	PermManageQueues:           {ScopeCaseWrite, "manage case queues"},
	PermReadTemplates:          {ScopeTemplateRead, "read case templates"},
	PermManageTemplates:        {ScopeTemplateWrite, "manage case templates"},
	PermReadUsers:              {ScopeUserRead, "read users"},
	PermManageUsers:            {ScopeUserWrite, "manage users"},
	PermReadNotifications:      {ScopeUserRead, "read notifications"},
	PermMarkNotifications:      {ScopeUserWrite, "mark notifications read"},
	PermManageWebhooks:         {ScopeWebhookWrite, "manage webhooks"},
	PermReadWorkflows:          {ScopeWorkflowRead, "read workflows"},
	PermManageWorkflows:        {ScopeWorkflowWrite, "manage workflows"},
	PermManageAPIKeys:          {ScopeAPIKeyWrite, "manage API keys"},
	PermReadObjects:            {ScopeObjectRead, "read accounts, inquiries, reports and transactions"},
	PermWriteObjects:           {ScopeObjectWrite, "write accounts, inquiries, reports and transactions"},
	PermRedactObjects:          {ScopeObjectWrite, "redact accounts, inquiries, reports and transactions"},
	PermManageTransactionTypes: {ScopeObjectWrite, "manage transaction types"},
	PermReadEvents:             {ScopeEventRead, "read events"},
	PermReadSARs:               {ScopeSARFile, "read SARs"},
	PermManageSARs:             {ScopeSARFile, "draft and file SARs"},
	PermSaveViews:              {ScopeUserWrite, "save case list views"},
	PermAudit:                  {ScopeAuditRead, "read the audit trail"},
	PermConfirmDecisions:       {ScopeCaseWrite, "confirm or send back decisions awaiting a second person"},
	PermReadIdentifiers:        {ScopeIdentifierRead, "read identifiers (social security and id document numbers) in full"},
	PermManageWatchlists:       {ScopeTemplateWrite, "manage watch lists and report templates"},
	PermReadAnalytics:          {ScopeAnalyticsRead, "read analytics"},
}

// Permissions lists every permission, for tests and documentation.
var Permissions = []Permission{PermReadCases, PermWorkCases, PermAssignOthers, PermBulkActions, PermRedactCases,
	PermManageQueues, PermReadTemplates, PermManageTemplates, PermReadUsers, PermManageUsers,
	PermReadNotifications, PermMarkNotifications, PermManageWebhooks, PermReadWorkflows, PermManageWorkflows,
	PermManageAPIKeys, PermReadObjects, PermWriteObjects, PermRedactObjects, PermManageTransactionTypes, PermReadEvents, PermReadSARs, PermManageSARs,
	PermSaveViews, PermAudit, PermConfirmDecisions, PermReadIdentifiers, PermManageWatchlists, PermReadAnalytics}

// Scope returns the API key scope that grants the permission ("" for an unknown one).
func (p Permission) Scope() string { return permissionInfo[p].scope }

// Phrase describes the permission for messages: "redact cases".
func (p Permission) Phrase() string {
	if info, ok := permissionInfo[p]; ok {
		return info.phrase
	}
	return string(p)
}

// rolePermissions lists what each role may do. Each role holds everything the role
// below it holds (viewer < reviewer < manager < admin); the README's table shows it.
var rolePermissions = func() map[string][]Permission {
	viewer := []Permission{PermReadCases, PermReadTemplates, PermReadUsers, PermReadNotifications,
		PermMarkNotifications, PermReadWorkflows, PermReadObjects, PermReadEvents, PermSaveViews}
	reviewer := append(slices.Clone(viewer), PermWorkCases, PermWriteObjects)
	// Confirming a four-eyes decision is a manager's: the second look comes from someone
	// with more authority than the reviewer who proposed it.
	// Identifiers in full are a manager's too: filing a SAR needs them, and a reviewer
	// decides on the masked form.
	manager := append(slices.Clone(reviewer), PermAssignOthers, PermBulkActions, PermManageQueues, PermReadSARs,
		PermConfirmDecisions, PermReadIdentifiers, PermReadAnalytics)
	return map[string][]Permission{
		RoleViewer:   viewer,
		RoleReviewer: reviewer,
		RoleManager:  manager,
		RoleAdmin:    slices.Clone(Permissions),
	}
}()

// RoleCan reports whether the role grants the permission. An unknown role grants nothing.
func RoleCan(role string, p Permission) bool {
	return slices.Contains(rolePermissions[role], p)
}

// RolesWith lists the roles that grant the permission, most powerful first: whom to
// tell about work only they may do (a decision awaiting confirmation).
func RolesWith(p Permission) []string {
	var out []string
	for _, r := range Roles {
		if RoleCan(r, p) {
			out = append(out, r)
		}
	}
	return out
}

// Principal is who is acting: a person signed in to the dashboard (User only), an API
// key (Key only), or an API key that belongs to a person (both; Key.UserID is User.ID).
// The zero Principal is nobody and may do nothing.
type Principal struct {
	User *User
	Key  *APIKey
}

// UserPrincipal returns the principal for a person acting in their own name.
func UserPrincipal(u *User) Principal { return Principal{User: u} }

// KeyPrincipal returns the principal for an API key; u is the key's user, or nil for a
// key that belongs to nobody.
func KeyPrincipal(k *APIKey, u *User) Principal { return Principal{User: u, Key: k} }

// valid reports whether the principal is someone: a key that names a user must come
// with that user, so that a key whose user could not be loaded acts as nobody rather
// than as an unrestricted key.
func (p Principal) valid() bool {
	if p.Key == nil {
		return p.User != nil
	}
	if p.Key.UserID == nil {
		return p.User == nil
	}
	return p.User != nil && p.User.ID == *p.Key.UserID
}

// Can reports whether the principal may do what perm names. A key needs the scope that
// grants perm; a person needs a role that grants it; a key that belongs to a person
// needs both, so it acts with the lesser of its scopes and its user's role.
func (p Principal) Can(perm Permission) bool {
	if !p.valid() || perm.Scope() == "" {
		return false
	}
	if p.Key != nil && !p.Key.Allows(perm.Scope()) {
		return false
	}
	if p.User != nil && !RoleCan(p.User.Role, perm) {
		return false
	}
	return true
}

// CanAssign reports whether the principal may change a case's assignee from holder to
// next (user ids; "" is nobody). A person who works cases may take a case nobody holds
// and give up their own; anything else (giving a case to someone else, taking or
// releasing someone else's) needs PermAssignOthers.
func (p Principal) CanAssign(holder, next string) bool {
	if p.Can(PermAssignOthers) {
		return true
	}
	if !p.Can(PermWorkCases) || p.User == nil {
		return false
	}
	self := p.User.ID
	return (holder == "" || holder == self) && (next == "" || next == self)
}

// CanSeeRunData reports whether the principal may see the data of workflow runs: their
// trigger objects, inputs and steps' inputs and outputs are copies of cases and of the
// objects they hold, so they need what reading those needs, beside reading workflows.
// vis is what the principal may not see: a run may hold any case, so a principal from
// whom some templates' cases are hidden sees no run's data (telling which runs hold a
// hidden case would mean reading every copy). Without it, a run still shows its status,
// steps, errors and ids.
func (p Principal) CanSeeRunData(vis Visibility) bool {
	return !vis.Restricted() && p.Can(PermReadWorkflows) && p.Can(PermReadCases) && p.Can(PermReadObjects)
}

// Refusal explains why Can(perm) is false, for a 403 message. It names the missing
// scope first, so that keys without a user keep the message they always had.
func (p Principal) Refusal(perm Permission) string {
	switch {
	case !p.valid():
		return "no valid credentials"
	case p.Key != nil && !p.Key.Allows(perm.Scope()):
		return fmt.Sprintf("this API key lacks the %s scope", perm.Scope())
	case p.User != nil && p.Key != nil:
		return fmt.Sprintf("this API key acts for a user with the %s role, who may not %s", p.User.Role, perm.Phrase())
	case p.User != nil:
		return fmt.Sprintf("a user with the %s role may not %s", p.User.Role, perm.Phrase())
	}
	return "not allowed to " + perm.Phrase()
}

// CanSeeTemplate reports whether the principal may see the cases of template t. A
// SAR template's cases need PermReadSARs. A
// template's VisibleToRoles hides its cases from people whose role it does not list (an
// empty list hides nothing); API keys without a user see every template, limited only
// by their scopes.
func (p Principal) CanSeeTemplate(t *CaseTemplate) bool {
	if !p.valid() || t == nil {
		return false
	}
	// SAR secrecy: a SAR case does not exist for whoever may not read SARs.
	if t.SAR && !p.Can(PermReadSARs) {
		return false
	}
	if p.User == nil {
		return true
	}
	return len(t.VisibleToRoles) == 0 || slices.Contains(t.VisibleToRoles, p.User.Role)
}

// CanEditField reports whether the principal may change the value of the case field
// that s declares, on a case that exists: it must work cases, and a schema that lists
// EditableByRoles admits people of those roles only. API keys without a user are
// limited by their scopes alone, as for CanSeeTemplate. Whoever creates a case fills in
// its fields, whatever the schema says: a required field must be given at creation.
func (p Principal) CanEditField(s FieldSchema) bool {
	if !p.Can(PermWorkCases) {
		return false
	}
	return p.User == nil || len(s.EditableByRoles) == 0 || slices.Contains(s.EditableByRoles, p.User.Role)
}

// CheckFieldEdits returns a forbidden error, at the field, for the first of the values
// the principal means to change on a case of template t that it may not change.
func (p Principal) CheckFieldEdits(t *CaseTemplate, values map[string]any) error {
	for _, s := range t.FieldSchemas {
		if _, ok := values[s.Key]; ok && !p.CanEditField(s) {
			return &Error{Code: EForbidden, Field: FieldKey("fields", s.Key),
				Message: fmt.Sprintf("field %q may be changed only by %s", s.Key, strings.Join(s.EditableByRoles, ", "))}
		}
	}
	return nil
}

// Actor returns who to record as the author of the principal's changes: the API key for
// any request made with a key (the key names its user, so the person stays known, and
// the record says which credential was used), the user for a dashboard session.
func (p Principal) Actor() Actor {
	switch {
	case p.Key != nil:
		return Actor{Type: ActorAPIKey, ID: p.Key.ID}
	case p.User != nil:
		return Actor{Type: ActorUser, ID: p.User.ID}
	}
	return Actor{Type: ActorSystem, ID: "system"}
}

// ShowIdentity returns the identity as the principal may see it: whole with
// PermReadIdentifiers, its identifiers masked otherwise. The API and the dashboard both
// show identities through it.
func (p Principal) ShowIdentity(id Identity) Identity {
	if p.Can(PermReadIdentifiers) {
		return id
	}
	return id.Masked()
}

// HiddenObjectTypes returns the object types whose events the principal may not read
// at all: SARs (their events carry the report's content) without PermReadSARs.
func (p Principal) HiddenObjectTypes() []string {
	if p.Can(PermReadSARs) {
		return nil
	}
	return []string{KindSAR.Type}
}

// Visibility limits case reads to what a principal may see. The store applies it as a
// filter; Principal.Visibility decides it. The zero Visibility hides nothing.
type Visibility struct {
	// HiddenTemplateIDs are the templates whose cases (and their comments and events)
	// are left out, as if they did not exist.
	HiddenTemplateIDs []string
}

// Hides reports whether cases of the template are hidden.
func (v Visibility) Hides(templateID string) bool {
	return slices.Contains(v.HiddenTemplateIDs, templateID)
}

// Restricted reports whether the visibility hides anything.
func (v Visibility) Restricted() bool { return len(v.HiddenTemplateIDs) > 0 }

// Merge returns a visibility that hides what either hides: a claim made for someone
// else must hand out a case both the requester and the assignee may see.
func (v Visibility) Merge(o Visibility) Visibility {
	out := slices.Clone(v.HiddenTemplateIDs)
	for _, id := range o.HiddenTemplateIDs {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return Visibility{HiddenTemplateIDs: out}
}

// Visibility returns what the principal may not see among templates, which must be
// every template (archived ones too: their cases remain).
func (p Principal) Visibility(templates []*CaseTemplate) Visibility {
	var v Visibility
	for _, t := range templates {
		if !p.CanSeeTemplate(t) {
			v.HiddenTemplateIDs = append(v.HiddenTemplateIDs, t.ID)
		}
	}
	return v
}

// LoadVisibility reads every template from ts and returns what p may not see. A principal
// that sees every template (an API key without a user, with SAR access) costs no read.
//
// The answer is a snapshot: a template created or re-scoped after it is taken is judged
// by the next request. Callers compute it once per request.
func LoadVisibility(ctx context.Context, p Principal, ts CaseTemplateService) (Visibility, error) {
	if p.valid() && p.User == nil && p.Can(PermReadSARs) {
		return Visibility{}, nil
	}
	var all []*CaseTemplate
	page := Page{Size: MaxPageSize}
	for {
		list, r, err := ts.ListTemplates(ctx, CaseTemplateFilter{Page: page})
		if err != nil {
			return Visibility{}, fmt.Errorf("load template visibility: %w", err)
		}
		all = append(all, list...)
		if !r.HasNext || len(list) == 0 {
			break
		}
		page.After = list[len(list)-1].ID
	}
	return p.Visibility(all), nil
}
