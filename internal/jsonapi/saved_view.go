package jsonapi

import "github.com/docket-hq/docket"

// SavedView renders a saved case list view. links.cases lists the view's cases through
// the API (the dashboard opens the same query at /cases).
func SavedView(v *docket.SavedView) Object {
	r := resource("saved-view", v.ID, Object{
		"name": v.Name, "query": v.Query, "user-id": v.UserID,
		"created-at": ts(v.CreatedAt), "updated-at": ts(v.UpdatedAt),
	}, Object{"user": one("user", &v.UserID)})
	cases := "/api/v1/cases"
	if v.Query != "" {
		cases += "?" + v.Query
	}
	r["links"] = Object{"cases": cases}
	return r
}
