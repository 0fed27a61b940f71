package jsonapi

import "github.com/docket-hq/docket"

// AccessLogEntry renders one access log entry: an "api-log" for a request to the API,
// a "user-audit-log" for one to the dashboard. Its id is the request id.
func AccessLogEntry(e *docket.AccessLogEntry) Object {
	typ := "api-log"
	if e.Source == docket.AccessSourceDashboard {
		typ = "user-audit-log"
	}
	var actor any
	if e.Actor != nil {
		actor = Object{"type": e.Actor.Type, "id": e.Actor.ID}
	}
	var user any
	if e.UserID != "" {
		user = e.UserID
	}
	objects := e.ObjectIDs
	if objects == nil {
		objects = []string{}
	}
	return resource(typ, e.ID, Object{
		"created-at": ts(e.CreatedAt), "actor": actor, "user-id": user, "client-address": e.ClientAddr,
		"method": e.Method, "route": e.Route, "object-ids": objects, "status": e.Status,
		"duration-ms": float64(e.Duration.Microseconds()) / 1000,
	}, nil)
}
