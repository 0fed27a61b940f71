package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// echoServer is an outside system on loopback that answers every request with what it
// received: the target of workflows' https-request steps and of a webhook, so that the
// answers Docket records (a step's output, a delivery's response snippet) hold what
// Docket sent. It remembers the webhook events it got.
type echoServer struct {
	url    string
	mu     sync.Mutex
	events map[string]bool
}

func newEcho(t *testing.T) *echoServer {
	e := &echoServer{events: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var doc struct {
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		if json.Unmarshal(body, &doc) == nil && strings.HasPrefix(doc.Data.ID, "evt_") {
			e.mu.Lock()
			e.events[doc.Data.ID] = true
			e.mu.Unlock()
		}
		if len(body) == 0 {
			body = []byte("{}")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *echoServer) got(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.events[id]
}

// send makes a request with the bootstrap key and extra headers (name, value pairs) and
// returns the status and the raw body.
func send(t *testing.T, base, method, path, body string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// idOf sends a request that must answer want and returns data.id.
func idOf(t *testing.T, want int, base, method, path, body string, headers ...string) string {
	t.Helper()
	status, raw := send(t, base, method, path, body, headers...)
	var doc struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if status != want || json.Unmarshal([]byte(raw), &doc) != nil {
		t.Fatalf("%s %s: %d, want %d\n%s", method, path, status, want, raw)
	}
	return doc.Data.ID
}

// allPages GETs a list and every following page (links.next), and returns the pages'
// raw bodies joined, with the ids of the items listed.
func allPages(t *testing.T, base, path string) (string, []string) {
	t.Helper()
	var out strings.Builder
	var ids []string
	for path != "" {
		status, raw := send(t, base, "GET", path, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, status, raw)
		}
		out.WriteString(raw)
		var doc struct {
			Data  json.RawMessage `json:"data"`
			Links struct {
				Next *string `json:"next"`
			} `json:"links"`
		}
		var items []struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if json.Unmarshal(doc.Data, &items) == nil { // a list; one resource has no ids to add
			for _, d := range items {
				ids = append(ids, d.ID)
			}
		}
		path = ""
		if doc.Links.Next != nil {
			path = *doc.Links.Next
		}
	}
	return out.String(), ids
}

// TestRedactionSweep (issue 11, items 1 to 4) puts a unique marker everywhere a person's
// data can enter Docket: an account's fields, tags and reference id, an inquiry's fields,
// note, creator address and reviewer comment, a transaction and a report linked by the
// reference, a case's fields and tags, a comment that @mentions a user, workflow runs
// (trigger objects, a case action's input, send-email mails to the person, https-request
// calls whose answers echo it, a step that fails quoting it, a step that fails on a URL
// holding it), a webhook whose endpoint echoes every payload, and idempotent responses.
// It checks that the marker reached each of those places, redacts every object, and then
// looks for the marker in every column of every table, as the database's catalogue lists
// them (a table added later is covered without changing this test), and in every API
// surface. No table is exempted.
func TestRedactionSweep(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		b := make([]byte, 6)
		rand.Read(b)
		m := "pii" + hex.EncodeToString(b)
		echo := newEcho(t)
		s := startServerEnv(t, dbURL, webhookEnv())
		base, v := s.base, map[string]string{"m": m, "echo": echo.url}
		expand := func(text string) string {
			for k, x := range v {
				text = strings.ReplaceAll(text, "{{"+k+"}}", x)
			}
			return text
		}
		post := func(path, body string, headers ...string) string {
			t.Helper()
			return idOf(t, http.StatusCreated, base, "POST", expand(path), expand(body), headers...)
		}

		// Configuration, which holds no personal data. The webhook comes first, so that it
		// is offered every later event.
		v["hook"] = post("/api/v1/webhooks", `{"data":{"attributes":{"url":"{{echo}}/hook","enabled-events":["*"]}}}`)
		v["hook-event"] = eventOf(t, base, "webhook.created", v["hook"])
		v["ada"] = post("/api/v1/users", `{"data":{"attributes":{"email-address":"ada@example.com","role":"reviewer"}}}`)
		v["tmpl"] = post("/api/v1/case-templates", `{"data":{"attributes":{"name":"KYC","key":"KYC","four-eyes-statuses":["Declined"],
			"field-schemas":[{"key":"ssn","type":"string"},{"key":"email","type":"string"}]}}}`)
		v["tt"] = post("/api/v1/transaction-types", `{"data":{"attributes":{"name":"Payment","field-schemas":[{"key":"memo","type":"string"}]}}}`)
		workflows := map[string]string{
			"on-case": `{"trigger":{"type":"event","event":"case.created"},"steps":[
				{"id":"mail","type":"action","action":"send-email","params":{"to":"=trigger.fields.email",
					"subject":"=\"About \" + trigger.fields.ssn","body":"=\"SSN \" + trigger.fields.ssn + \" of \" + trigger.accounts[0].fields.name"}},
				{"id":"call","type":"action","action":"https-request","params":{"url":"{{echo}}/check","body":{"ssn":"=trigger.fields.ssn"}}}]}`,
			"bad-address": `{"trigger":{"type":"event","event":"case.created"},"steps":[
				{"id":"mail","type":"action","action":"send-email","params":{"to":"=trigger.fields.ssn","subject":"s","body":"b"}}]}`,
			"bad-url": `{"trigger":{"type":"event","event":"case.created"},"steps":[
				{"id":"call","type":"action","action":"https-request","params":{"url":"=\"http://127.0.0.1:1/\" + trigger.fields.ssn"}}]}`,
			"on-txn": `{"trigger":{"type":"event","event":"transaction.created"},"steps":[
				{"id":"mail","type":"action","action":"send-email","params":{"to":"ops@example.com","subject":"Txn",
					"body":"=\"Payment of \" + trigger.account.fields.name"}}]}`,
			"action": `{"trigger":{"type":"case-action","input-schema":[{"key":"note","type":"string"}]},"steps":[
				{"id":"mail","type":"action","action":"send-email","params":{"to":"ada@example.com","subject":"Note","body":"=input.note"}}]}`,
		}
		for name, def := range workflows {
			v["wf-"+name] = post("/api/v1/workflows", fmt.Sprintf(`{"data":{"attributes":{"name":%q,"definition":%s}}}`, name, def))
			idOf(t, http.StatusOK, base, "POST", "/api/v1/workflows/"+v["wf-"+name]+"/publish", "")
		}

		// The person's data, each write with an Idempotency-Key so that its response is kept.
		key := func(k string) []string { return []string{"Idempotency-Key", "sweep-" + k} }
		writes := []struct{ name, path, body string }{
			{"acct", "/api/v1/accounts", `{"data":{"attributes":{"reference-id":"ref-{{m}}","fields":{"name":"Jane {{m}}"},"tags":["{{m}}"]}}}`},
			{"inq", "/api/v1/inquiries", `{"data":{"attributes":{"reference-id":"ref-{{m}}","creator-email-address":"{{m}}@example.com",
				"note":"note {{m}}","fields":{"dob":"{{m}}"},"tags":["{{m}}"]}}}`},
			{"txn", "/api/v1/transactions", `{"data":{"attributes":{"transaction-type-id":"{{tt}}","reference-id":"ref-{{m}}",
				"fields":{"memo":"{{m}}"},"tags":["{{m}}"]}}}`},
			{"rep", "/api/v1/reports", `{"data":{"attributes":{"report-type":"report/watchlist","reference-id":"ref-{{m}}",
				"result":{"hit":"{{m}}"},"tags":["{{m}}"]}}}`},
			{"case", "/api/v1/cases", `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"ssn":"{{m}}","email":"{{m}}@example.com"},
				"tags":["{{m}}"]}},"meta":{"object-ids":["{{acct}}","{{inq}}","{{txn}}","{{rep}}"]}}`},
			{"comment", "/api/v1/cases/{{case}}/comments", `{"meta":{"body":"Called {{m}}, see @ada@example.com"}}`},
			{"run", "/api/v1/cases/{{case}}/actions/{{wf-action}}", `{"meta":{"input":{"note":"{{m}}"}}}`},
			{"view", "/api/v1/saved-views", `{"data":{"attributes":{"name":"Jane's cases","query":"filter[q]=ref-{{m}}","user-id":"{{ada}}"}}}`},
		}
		for _, w := range writes {
			v[w.name] = post(w.path, w.body, key(w.name)...)
		}
		for _, action := range []string{"complete", "mark-for-review"} {
			idOf(t, http.StatusOK, base, "POST", "/api/v1/inquiries/"+v["inq"]+"/"+action, "")
		}
		idOf(t, http.StatusOK, base, "POST", "/api/v1/inquiries/"+v["inq"]+"/approve", expand(`{"meta":{"comment":"ok {{m}}"}}`))
		// A four-eyes proposal with its reason, awaiting confirmation when the case is redacted.
		idOf(t, http.StatusOK, base, "POST", "/api/v1/cases/"+v["case"]+"/set-status", expand(`{"meta":{"status":"Declined","comment":"Declined: {{m}}"}}`))

		settle := func(phase string) {
			t.Helper()
			// Every run has ended, but the one retrying its unreachable URL.
			eventually(t, 20*time.Second, func() (bool, string) {
				raw, _ := allPages(t, base, "/api/v1/workflow-runs?page[size]=100")
				var doc struct {
					Data []struct {
						Attributes struct{ Status string } `json:"attributes"`
						Rels       struct {
							Workflow struct{ Data struct{ ID string } } `json:"workflow"`
						} `json:"relationships"`
					} `json:"data"`
				}
				json.Unmarshal([]byte(raw), &doc)
				for _, r := range doc.Data {
					if r.Rels.Workflow.Data.ID != v["wf-bad-url"] && (r.Attributes.Status == "running" || r.Attributes.Status == "waiting") {
						return false, phase + ": a run is still " + r.Attributes.Status
					}
				}
				return len(doc.Data) == 5, fmt.Sprintf("%s: %d runs, want 5", phase, len(doc.Data))
			})
			// Every event reached the webhook, and its answer is recorded.
			eventually(t, 20*time.Second, func() (bool, string) {
				_, events := allPages(t, base, "/api/v1/events?page[size]=100")
				_, deliveries := allPages(t, base, "/api/v1/webhooks/"+v["hook"]+"/deliveries?page[size]=100")
				n := 0
				for _, id := range events {
					if id <= v["hook-event"] {
						continue
					}
					if n++; !echo.got(id) {
						return false, phase + ": event " + id + " not delivered yet"
					}
				}
				return len(deliveries) >= n, fmt.Sprintf("%s: %d deliveries recorded of %d events", phase, len(deliveries), n)
			})
			// The run calling an unreachable URL has failed an attempt, which River keeps.
			eventually(t, 20*time.Second, func() (bool, string) {
				var n int
				err := storetest.RawDB(t, dbURL).QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'workflow_run' AND errors IS NOT NULL`).Scan(&n)
				return err == nil && n > 0, fmt.Sprintf("%s: no failed attempt in River's jobs (%v)", phase, err)
			})
		}
		// Requests naming the person in the query and the path: the access log records
		// their route and ids only (it is swept with every other table below).
		send(t, base, "GET", expand("/api/v1/cases?filter[reference-id]=ref-{{m}}"), "")
		send(t, base, "GET", expand("/api/v1/accounts/{{m}}"), "")
		settle("before")

		// The marker reached every place it can enter; otherwise the sweep proves nothing there.
		before := map[string]bool{}
		for _, c := range storetest.ColumnsHolding(t, dbURL, m) {
			before[c.String()] = true
		}
		for _, want := range []string{"accounts.reference_id", "accounts.fields", "accounts.tags", "inquiries.reference_id",
			"inquiries.creator_email", "inquiries.note", "inquiries.reviewer_comment", "inquiries.fields", "inquiries.tags",
			"transactions.reference_id", "transactions.fields", "transactions.tags", "reports.reference_id", "reports.result",
			"reports.tags", "cases.fields", "case_tags.tag", "case_comments.body", "events.object", "workflow_runs.trigger",
			"workflow_runs.input", "workflow_runs.steps", "workflow_runs.error", "notifications.email", "notifications.subject",
			"notifications.body", "idempotency_keys.response", "webhook_deliveries.response_snippet", "saved_views.query"} {
			if !before[want] {
				t.Errorf("the marker never reached %s: the sweep would prove nothing there", want)
			}
		}
		// The delivery log shows the bodies sent, rebuilt from the events: they hold it too.
		if !requestBodyHolds(t, base, v["hook"], m) {
			t.Errorf("the delivery log shows no request body holding the marker")
		}
		// The event export (NDJSON, not pages) carried it too.
		if _, raw := send(t, base, "GET", "/api/v1/events/export", ""); !strings.Contains(raw, m) {
			t.Errorf("the marker never reached GET /events/export")
		}
		if t.Failed() {
			t.FailNow()
		}

		for _, path := range []string{"/cases/{{case}}", "/accounts/{{acct}}", "/inquiries/{{inq}}", "/transactions/{{txn}}", "/reports/{{rep}}"} {
			idOf(t, http.StatusOK, base, "DELETE", "/api/v1"+expand(path), "")
		}
		settle("after")
		// Redaction keeps the access log, which holds ids only: who read and changed the
		// case stays known. Once the DELETE's entry is written, every earlier one is.
		deleted := entryFor(t, base, expand("/api/v1/api-logs?filter[object-id]={{case}}&filter[method]=DELETE"), "")
		if deleted.Attrs.Route != "/api/v1/cases/{id}" {
			t.Errorf("the case's DELETE in the access log: %+v", deleted)
		}
		if _, kept := accessLog(t, base, testKey, expand("/api/v1/api-logs?filter[object-id]={{case}}&page[size]=100")); len(kept) < 3 {
			t.Errorf("after redaction, the case has %d access log entries, want its comment, action and DELETE", len(kept))
		}

		for _, c := range storetest.ColumnsHolding(t, dbURL, m) {
			t.Errorf("after redaction, %s still holds the marker", c)
		}
		// Nor does the log, which no redaction reaches, ever hold it.
		if strings.Contains(s.log(), m) {
			t.Errorf("the server's log holds the marker:\n%s", s.log())
		}
		surfaces := []string{
			"/cases?page[size]=100&include=case-template,accounts,inquiries,reports,txns,case-comments,assignee",
			"/cases/{{case}}?include=case-template,accounts,inquiries,reports,txns,case-comments,assignee",
			"/cases/{{case}}/comments?page[size]=100", "/cases?filter[tag]={{m}}",
			"/accounts?page[size]=100", "/accounts/{{acct}}", "/inquiries?page[size]=100", "/inquiries/{{inq}}",
			"/transactions?page[size]=100", "/transactions/{{txn}}", "/reports?page[size]=100", "/reports/{{rep}}",
			"/events?page[size]=100", "/workflow-runs?page[size]=100", "/workflows?page[size]=100",
			"/webhooks/{{hook}}/deliveries?page[size]=100", "/users/{{ada}}/notifications?page[size]=100",
		}
		for _, path := range surfaces {
			if raw, _ := allPages(t, base, "/api/v1"+expand(path)); strings.Contains(raw, m) {
				t.Errorf("after redaction, GET %s shows the marker:\n%s", expand(path), raw)
			}
		}
		if _, raw := send(t, base, "GET", "/api/v1/events/export", ""); strings.Contains(raw, m) {
			t.Errorf("after redaction, GET /events/export shows the marker")
		}
		// The event chain still verifies: redaction erased snapshots and kept their digests
		// (the chain's columns are in the catalogue scan above like every other).
		if status, raw := send(t, base, "GET", "/api/v1/audit/verify", ""); status != http.StatusOK ||
			!strings.Contains(raw, `"ok":true`) || strings.Contains(raw, `"erased-events":0`) {
			t.Errorf("after redaction, GET /audit/verify: %d\n%s", status, raw)
		}
		// Nothing finds the person by their reference id any more.
		for _, list := range []string{"cases", "accounts", "inquiries", "transactions"} {
			path := "/api/v1/" + list + "?filter[reference-id]=ref-" + m
			if _, ids := allPages(t, base, path); len(ids) != 0 {
				t.Errorf("after redaction, GET %s finds %v", path, ids)
			}
		}
		// The stored responses are replayed without the data.
		for _, w := range writes {
			status, raw := send(t, base, "POST", expand(w.path), expand(w.body), key(w.name)...)
			if status != http.StatusCreated || strings.Contains(raw, m) || !strings.Contains(raw, `"redacted":true`) {
				t.Errorf("replay of %s after redaction: %d\n%s", w.name, status, raw)
			}
		}
	})
}

// requestBodyHolds reports whether a request body in the first page of the webhook's
// delivery log holds text.
func requestBodyHolds(t *testing.T, base, hook, text string) bool {
	t.Helper()
	_, raw := send(t, base, "GET", "/api/v1/webhooks/"+hook+"/deliveries?page[size]=100", "")
	var doc struct {
		Data []struct {
			Attributes struct {
				RequestBody *string `json:"request-body"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("delivery log: %v", err)
	}
	for _, d := range doc.Data {
		if b := d.Attributes.RequestBody; b != nil && strings.Contains(*b, text) {
			return true
		}
	}
	return false
}
