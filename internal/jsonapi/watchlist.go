package jsonapi

import "github.com/docket-hq/docket"

// Watchlist renders a watch list (without its entries).
func Watchlist(l *docket.Watchlist) Object {
	return resource("watchlist", l.ID, Object{"name": l.Name, "format": l.Format, "entry-count": l.EntryCount,
		"version": l.Version, "created-at": ts(l.CreatedAt), "updated-at": ts(l.UpdatedAt)}, nil)
}

// ReportTemplate renders a report template; its type follows the hosted API's
// ("report-template/watchlist" for a report/watchlist template).
func ReportTemplate(t *docket.ReportTemplate) Object {
	lists := t.ListIDs
	if lists == nil {
		lists = []string{}
	}
	return resource("report-template", t.ID, Object{"name": t.Name, "report-type": t.Type, "threshold": t.Threshold,
		"watchlist-ids": lists, "created-at": ts(t.CreatedAt), "updated-at": ts(t.UpdatedAt)},
		Object{"watchlists": many("watchlist", lists)})
}
