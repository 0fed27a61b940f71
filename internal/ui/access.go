package ui

import (
	"context"
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// access is what the signed-in user may do and see, with every template by id (for
// showing template names beside cases). It is computed once per request.
type access struct {
	P         docket.Principal
	Vis       docket.Visibility
	Templates map[string]*docket.CaseTemplate
}

// accessKey holds a *accessMemo in the request context (installed by signedIn), so that
// a page and its layout's badge read the templates once.
type accessKey struct{}

type accessMemo struct {
	a   *access
	err error
}

func withAccessMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, accessKey{}, &accessMemo{})
}

// access returns the signed-in user's access: their principal and the templates whose
// cases they may not see. Template visibility is decided by docket.Principal; the store
// only filters by the answer.
func (h *Handler) access(r *http.Request) (*access, error) {
	memo, _ := r.Context().Value(accessKey{}).(*accessMemo)
	if memo != nil && (memo.a != nil || memo.err != nil) {
		return memo.a, memo.err
	}
	a, err := h.loadAccess(r.Context(), auth.UserFrom(r.Context()))
	if memo != nil {
		memo.a, memo.err = a, err
	}
	return a, err
}

func (h *Handler) loadAccess(ctx context.Context, u *docket.User) (*access, error) {
	a := &access{P: docket.UserPrincipal(u), Templates: map[string]*docket.CaseTemplate{}}
	all, err := everyPage(func(p docket.Page) ([]*docket.CaseTemplate, docket.PageResult, error) {
		return h.store.ListTemplates(ctx, docket.CaseTemplateFilter{Page: p})
	}, func(t *docket.CaseTemplate) string { return t.ID }, 0)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		a.Templates[t.ID] = t
	}
	a.Vis = a.P.Visibility(all)
	return a, nil
}

// templateName names a case's template for a list ("" if unknown).
func (a *access) templateName(id string) string {
	if t := a.Templates[id]; t != nil {
		return t.Name
	}
	return ""
}
