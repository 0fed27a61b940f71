package docket

import (
	"context"
	"strings"
	"time"
)

// PrefixSavedView starts the ids of saved views.
const PrefixSavedView = "sview"

// MaxSavedViews bounds the saved views of one user, so that the list beside the case
// list's filters stays a list one can read.
const MaxSavedViews = 100

// MaxSavedViewName bounds a saved view's name.
const MaxSavedViewName = 100

// SavedView is a case list filter a user keeps under a name. Its query is the case
// list's own URL query (see CaseListParams), so that the dashboard opens it at
// /cases?<query> and the API lists its cases at GET /cases?<query>.
//
// A saved view is a person's preference, not a record of work on cases: changing one
// writes no event (and so sends no webhook).
type SavedView struct {
	ID     string `json:"id"`
	UserID string `json:"user-id"`
	Name   string `json:"name"`
	// Query is canonical (CanonicalCaseListQuery): known parameters with a value, in a
	// fixed order. "me" stays "me": a shared view shows each reader their own cases.
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"created-at"`
	UpdatedAt time.Time `json:"updated-at"`
}

// Validate checks a saved view's name and query, trimming the name and putting the
// query in canonical form.
func (v *SavedView) Validate() error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || len(v.Name) > MaxSavedViewName {
		return Invalid("name", "a saved view's name must be 1 to %d characters", MaxSavedViewName)
	}
	if !ValidID(PrefixUser, v.UserID) {
		return Invalid("user-id", "user-id must be a user id")
	}
	q, err := NormalizeCaseListQuery(v.Query, "query")
	if err != nil {
		return err
	}
	v.Query = q
	return nil
}

// SavedViewUpdate holds what a PATCH may change; nil leaves a value alone.
type SavedViewUpdate struct {
	Name  *string
	Query *string
}

// SavedViewFilter narrows a list of saved views; UserID "" lists everyone's.
type SavedViewFilter struct {
	UserID string
	Page   Page
}

// SavedViewService keeps users' saved views. Every method but CreateSavedView takes
// owner, the user whose views the caller may reach: a view of someone else is not
// found. owner "" reaches every user's views (an API key that belongs to nobody).
type SavedViewService interface {
	// CreateSavedView stores a new view for v.UserID, who must exist and hold fewer than
	// MaxSavedViews views.
	CreateSavedView(ctx context.Context, v *SavedView) error
	FindSavedView(ctx context.Context, owner, id string) (*SavedView, error)
	// ListSavedViews lists views newest first, paged by id. Callers that may reach only
	// one user's views set f.UserID to that user.
	ListSavedViews(ctx context.Context, f SavedViewFilter) ([]*SavedView, PageResult, error)
	UpdateSavedView(ctx context.Context, owner, id string, u SavedViewUpdate) (*SavedView, error)
	DeleteSavedView(ctx context.Context, owner, id string) error
}

// SavedViewOwner returns whose saved views the principal may reach: a person's (or a
// key's that belongs to one) only their own; a key that belongs to nobody, everyone's
// (""). Beside the permissions (PermReadCases to read views, PermSaveViews to keep
// them), ownership is the only rule.
func (p Principal) SavedViewOwner() string {
	if p.User != nil {
		return p.User.ID
	}
	return ""
}
