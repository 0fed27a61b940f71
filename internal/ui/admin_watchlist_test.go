package ui_test

import (
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestWatchlistPages: the admin's watch lists page shows each list's entries, version
// and templates' thresholds (others get the 403 page), and a case's screening report
// shows the entry it matched, with its list and score.
func TestWatchlistPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		l := &docket.Watchlist{Name: "EU sanctions", Format: docket.WatchlistJSON}
		noErr(t, w.store.CreateWatchlist(ctx, l))
		_, err := w.store.ImportWatchlist(ctx, l.ID, []docket.WatchlistEntry{
			{UID: "EU-7", Name: "Ivan Petrov", BirthDates: []string{"1980"}, Countries: []string{"RU"}},
			{UID: "EU-8", Name: "Marie-Thérèse Dubois"}}, nil)
		noErr(t, err)
		tmpl := &docket.ReportTemplate{Name: "Sanctions screening", Threshold: 0.9, ListIDs: []string{l.ID}}
		noErr(t, w.store.CreateReportTemplate(ctx, tmpl))
		n, err := screen.NewScreener(w.store).Report(ctx, tmpl, docket.ScreeningQuery{Term: "Иван Петров"}, docket.NewReport{})
		noErr(t, err)
		rep, err := w.store.CreateReport(ctx, system, n)
		noErr(t, err)
		_, err = w.store.AddCaseObjects(ctx, system, w.c.ID, []string{rep.ID})
		noErr(t, err)

		w.as(w.root).get("/admin/watchlists").want(t, 200, "EU sanctions", l.ID, `data-label="Entries">2<`,
			`data-label="Version">1<`, "Sanctions screening", `data-label="Threshold">0.90<`)
		w.as(w.root).get("/admin").want(t, 200, `href="/admin/watchlists"`)
		w.as(w.max).get("/admin/watchlists").want(t, 403)
		w.as(w.ada).get(w.path("")).want(t, 200, "<strong>Ivan Petrov</strong>", "EU sanctions <code>EU-7</code>", "score 1")
	})
}
