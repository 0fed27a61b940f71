package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/worker"
)

// ofacMeta returns the SDN fixture's files as an import's meta.
func ofacMeta(t *testing.T) string {
	t.Helper()
	meta := map[string]string{}
	for key, name := range map[string]string{"sdn": "SDN.CSV", "alt": "ALT.CSV", "add": "ADD.CSV"} {
		b, err := os.ReadFile("../screen/testdata/ofac/" + name)
		if err != nil {
			t.Fatal(err)
		}
		meta[key] = string(b)
	}
	b, _ := json.Marshal(map[string]any{"meta": meta})
	return string(b)
}

// TestScreeningReports: a report created with a template and a query screens it against
// the imported OFAC list: known listed people match with their entry and score, others
// do not, each template's threshold decides, and bad input is refused with a pointer.
func TestScreeningReports(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{}
		h.scenario(t, vars, []step{
			{name: "create list", method: "POST", path: "/watchlists", body: `{"data":{"attributes":{"name":"OFAC SDN","format":"ofac-sdn"}}}`,
				status: 201, save: map[string]string{"wl": "data.id"}, want: []string{`"type":"watchlist"`, `"entry-count":0`, `"version":0`}},
			{name: "same name", method: "POST", path: "/watchlists", body: `{"data":{"attributes":{"name":"OFAC SDN","format":"csv"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "bad format", method: "POST", path: "/watchlists", body: `{"data":{"attributes":{"name":"X","format":"xml"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/format"`}},
			{name: "import", method: "POST", path: "/watchlists/{{wl}}/import", body: ofacMeta(t),
				status: 200, want: []string{`"entry-count":16`, `"version":1`}},
			{name: "import without sdn", method: "POST", path: "/watchlists/{{wl}}/import", body: `{"meta":{"alt":"1,2,aka,X,-0-"}}`,
				status: 422, want: []string{`"pointer":"/meta/sdn"`}},
			{name: "import broken sdn", method: "POST", path: "/watchlists/{{wl}}/import", body: `{"meta":{"sdn":"1,TOO FEW\n"}}`,
				status: 422, want: []string{`"pointer":"/meta/sdn"`, `line 1`}},
			{name: "list unchanged by failed imports", method: "GET", path: "/watchlists", status: 200,
				want: []string{`"entry-count":16`, `"version":1`, `"name":"OFAC SDN"`}},
			{name: "default template", method: "POST", path: "/report-templates",
				body:   `{"data":{"attributes":{"name":"Sanctions","watchlist-ids":["{{wl}}"]}}}`,
				status: 201, save: map[string]string{"tmpl": "data.id"}, want: []string{`"id":"rptp_`, `"threshold":0.88`, `"report-type":"report/watchlist"`}},
			{name: "strict template", method: "POST", path: "/report-templates",
				body:   `{"data":{"attributes":{"name":"Strict","threshold":0.97,"watchlist-ids":["{{wl}}"]}}}`,
				status: 201, save: map[string]string{"strict": "data.id"}},
			{name: "template on unknown list", method: "POST", path: "/report-templates",
				body:   `{"data":{"attributes":{"name":"Nope","watchlist-ids":["wl_01h455vb4pex5vsknk084sn02q"]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/watchlist-ids"`}},
			{name: "template threshold out of range", method: "POST", path: "/report-templates",
				body: `{"data":{"attributes":{"name":"Loose","threshold":0.2}}}`, status: 422, want: []string{`"pointer":"/data/attributes/threshold"`}},
			// Hosted API shape: type in data.type, the query's name parts.
			{name: "listed person matches", method: "POST", path: "/reports",
				body: `{"data":{"type":"report/watchlist","attributes":{"report-template-id":"{{tmpl}}","query":{"name-first":"Vladimir",` +
					`"name-last":"Putin","birthdate":"1952-10-07","address-country-code":"RU"}}}}`,
				status: 201, save: map[string]string{"hit": "data.id"},
				want: []string{`"status":"ready"`, `"matched":true`, `"id":"27350"`, `"score":1`, `"matched-name":"PUTIN, Vladimir Vladimirovich"`,
					`"watchlist-id":"{{wl}}"`, `"report-template":{"data":{"id":"{{tmpl}}","type":"report-template"}}`},
				not: []string{`"completed-at":null`}},
			{name: "transliterated and reordered", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-type":"report/watchlist","report-template-id":"{{tmpl}}","query":{"term":"Moammar Qaddafi"}}}}`,
				status: 201, want: []string{`"matched":true`, `"id":"9647"`}},
			{name: "diacritics", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"Hans Juergen Mueller"}}}}`,
				status: 201, want: []string{`"matched":true`, `"id":"22180"`}},
			{name: "not listed", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"name-first":"Jane","name-last":"Doe"}}}}`,
				status: 201, save: map[string]string{"miss": "data.id"}, want: []string{`"status":"ready"`, `"matched":false`, `"matches":[]`}},
			{name: "namesake born elsewhen", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"Vladimir Putin","birthdate":"1990-05-05"}}}}`,
				status: 201, want: []string{`"matched":false`}},
			{name: "relative is not the listed", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"Kim Jong Il"}}}}`,
				status: 201, want: []string{`"matched":false`}},
			{name: "default threshold takes a partial name", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"Vladimir Putin"}}}}`,
				status: 201, want: []string{`"matched":true`, `"threshold":0.88`}},
			{name: "strict threshold does not", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{strict}}","query":{"term":"Vladimir Putin"}}}}`,
				status: 201, want: []string{`"matched":false`, `"threshold":0.97`}},
			{name: "raise the default template's threshold", method: "PATCH", path: "/report-templates/{{tmpl}}",
				body: `{"data":{"attributes":{"threshold":0.97}}}`, status: 200, want: []string{`"threshold":0.97`}},
			{name: "now it does not either", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"Vladimir Putin"}}}}`,
				status: 201, want: []string{`"matched":false`}},
			{name: "no query", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-template-id":"{{tmpl}}"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/query"`}},
			{name: "no name", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"birthdate":"1952-10-07"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/query"`}},
			{name: "bad birthdate", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"A B","birthdate":"07/10/1952"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/query/birthdate"`}},
			{name: "unknown query key", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"A B","nick":"x"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/query/nick"`}},
			{name: "unknown template", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-template-id":"rptp_01h455vb4pex5vsknk084sn02q","query":{"term":"A B"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/report-template-id"`}},
			{name: "result is the screening's", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-template-id":"{{tmpl}}","query":{"term":"A B"},"matched":true}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/matched"`}},
			{name: "matched event", method: "GET", path: "/events?filter[object-id]={{hit}}", status: 200,
				want: []string{`"report.created"`, `"report.ready"`, `"report.matched"`}},
			{name: "miss has no matched event", method: "GET", path: "/events?filter[object-id]={{miss}}", status: 200,
				want: []string{`"report.ready"`}, not: []string{`"report.matched"`}},
		})
		// A reviewer's key may read lists but not import them.
		viewer := h.keyWithScopes(docket.ScopeTemplateRead, docket.ScopeObjectWrite)
		h.must(200, "GET", "/watchlists", "", "Authorization", "Bearer "+viewer)
		h.must(403, "POST", "/watchlists/"+vars["wl"]+"/import", ofacMeta(t), "Authorization", "Bearer "+viewer)
		h.must(403, "POST", "/report-templates", `{"data":{"attributes":{"name":"X"}}}`, "Authorization", "Bearer "+viewer)
	})
}

// TestRescreenAfterListUpdate: an account screened clean is screened again when a list
// it was screened against is updated; a new matched report (and report.matched) appears
// for it once the newly listed name is there, and only then.
func TestRescreenAfterListUpdate(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		ctx := context.Background()
		r, err := worker.New(ctx, h.store, worker.Config{PollInterval: 20 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Stop(ctx) })

		vars := map[string]string{}
		h.scenario(t, vars, []step{
			{name: "list", method: "POST", path: "/watchlists", body: `{"data":{"attributes":{"name":"EU","format":"json"}}}`,
				status: 201, save: map[string]string{"wl": "data.id"}},
			{name: "first version", method: "POST", path: "/watchlists/{{wl}}/import",
				body:   `{"meta":{"entries":[{"id":"EU-1","name":"Marie-Thérèse Dubois","birth-dates":["1971-02-14"],"countries":["FR"]}]}}`,
				status: 200, want: []string{`"entry-count":1`}},
			{name: "template", method: "POST", path: "/report-templates", body: `{"data":{"attributes":{"name":"All lists"}}}`,
				status: 201, save: map[string]string{"tmpl": "data.id"}},
			{name: "account", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":"c-1","fields":{"name":"Иван Петров","birthdate":"1980-03-01"}}}}`,
				status: 201, save: map[string]string{"act": "data.id"}},
			{name: "other account", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":"c-2","fields":{"name":"Jane Doe"}}}}`,
				status: 201, save: map[string]string{"act2": "data.id"}},
			{name: "screened clean", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","account-id":"{{act}}","query":{"term":"Ivan Petrov","birthdate":"1980-03-01"}}}}`,
				status: 201, want: []string{`"matched":false`}},
			{name: "other screened clean", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-template-id":"{{tmpl}}","account-id":"{{act2}}","query":{"term":"Jane Doe"}}}}`,
				status: 201, want: []string{`"matched":false`}},
			{name: "second version lists him", method: "POST", path: "/watchlists/{{wl}}/import",
				body: `{"meta":{"entries":[{"id":"EU-1","name":"Marie-Thérèse Dubois"},` +
					`{"id":"EU-2","name":"Ivan Petrov","birth-dates":["1980"],"countries":["RU"]}]}}`,
				status: 200, want: []string{`"entry-count":2`, `"version":2`}},
		})
		deadline := time.Now().Add(30 * time.Second)
		for {
			res := h.must(200, "GET", "/reports?filter[account-id]="+vars["act"], "")
			if len(res.list("data")) == 2 {
				if !strings.Contains(res.raw, `"matched":true`) || !strings.Contains(res.raw, `"id":"EU-2"`) || !strings.Contains(res.raw, `"re-screening"`) {
					t.Fatalf("re-screening report: %s", res.raw)
				}
				newest := res.str("data.0.id")
				ev := h.must(200, "GET", "/events?filter[object-id]="+newest, "")
				if !strings.Contains(ev.raw, `"report.matched"`) {
					t.Errorf("no report.matched for %s: %s", newest, ev.raw)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no re-screening report for %s: %s", vars["act"], res.raw)
			}
			time.Sleep(50 * time.Millisecond)
		}
		// Jane Doe's matches did not change: no new report for her.
		if res := h.must(200, "GET", "/reports?filter[account-id]="+vars["act2"], ""); len(res.list("data")) != 1 {
			t.Errorf("Jane Doe got a report though nothing changed: %s", res.raw)
		}
	})
}
