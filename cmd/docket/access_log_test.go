package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// logEntry is one access log entry as GET /api-logs and /user-audit-logs render it.
type logEntry struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Attrs struct {
		Actor *struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"actor"`
		UserID        *string  `json:"user-id"`
		ClientAddress string   `json:"client-address"`
		Method        string   `json:"method"`
		Route         string   `json:"route"`
		ObjectIDs     []string `json:"object-ids"`
		Status        int      `json:"status"`
		CreatedAt     string   `json:"created-at"`
	} `json:"attributes"`
}

// accessLog GETs an access log list with key and returns its status and entries.
func accessLog(t *testing.T, base, key, path string) (int, []logEntry) {
	t.Helper()
	status, _, body := keyRequest(t, base, key, "GET", path, "")
	var doc struct{ Data []logEntry }
	if status == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	return status, doc.Data
}

// keyRequest sends a request with an API key and returns the status, the Request-Id and
// the body.
func keyRequest(t *testing.T, base, key, method, path, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Request-Id"), string(b)
}

// entryFor waits until the list at path holds the entry with id (any entry for ""), and
// returns it.
func entryFor(t *testing.T, base, path, id string) logEntry {
	t.Helper()
	var found *logEntry
	eventually(t, 10*time.Second, func() (bool, string) {
		status, list := accessLog(t, base, testKey, path)
		for i := range list {
			if id == "" || list[i].ID == id {
				found = &list[i]
				return true, ""
			}
		}
		return false, fmt.Sprintf("GET %s (%d): no entry %s among %d", path, status, id, len(list))
	})
	return *found
}

// TestAccessLog drives the API and the dashboard of a real server and reads back what
// the access log recorded about each request: who, which route and object, the outcome,
// and nothing of the data sent. Only administrators may read it; a request made just
// before shutdown is written during it.
func TestAccessLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		b := make([]byte, 6)
		rand.Read(b)
		m := "pii" + hex.EncodeToString(b)
		env := map[string]string{"DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}
		const pw = "correct horse battery staple"
		for _, u := range [][2]string{{"ada@example.com", "admin"}, {"mia@example.com", "manager"}} {
			if _, err := docketCmd(t, env, pw+"\n", "users", "create", "--email", u[0], "--role", u[1]); err != nil {
				t.Fatal(err)
			}
		}
		miaKey, err := docketCmd(t, env, "", "api-keys", "create", "--name", "mia", "--user", "mia@example.com")
		if err != nil {
			t.Fatal(err)
		}
		readerKey, err := docketCmd(t, env, "", "api-keys", "create", "--name", "reader", "--scopes", "case.read")
		if err != nil {
			t.Fatal(err)
		}
		s := startServer(t, dbURL)
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates",
			`{"data":{"attributes":{"name":"KYC","key":"KYC","field-schemas":[{"key":"email","type":"string"}]}}}`))
		c := must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", fmt.Sprintf(
			`{"data":{"attributes":{"case-template-id":%q,"fields":{"email":"%s@example.com"}}}}`, tmpl["id"], m)))
		caseID := c["id"].(string)

		// Through the API: a read of the case, and a search naming the person in the query.
		status, apiReq, _ := keyRequest(t, s.base, testKey, "GET", "/api/v1/cases/"+caseID+"?include=case-template", "")
		if status != 200 {
			t.Fatalf("GET case: %d", status)
		}
		keyRequest(t, s.base, testKey, "GET", "/api/v1/cases?filter[reference-id]="+m, "")

		// Through the dashboard: ada opens the case and comments on it.
		ada := newDashboard(t, s.base)
		ada.signIn("ada@example.com", pw)
		if status, _, _ := ada.do("GET", "/cases/"+caseID+"?q="+m, nil); status != 200 {
			t.Fatalf("case page: %d", status)
		}
		if status, _, body := ada.submit("/cases/"+caseID, "/cases/"+caseID+"/comments", url.Values{"body": {"Called " + m}}); status != http.StatusSeeOther {
			t.Fatalf("comment: %d\n%s", status, body)
		}

		// The API request's entry, found by its Request-Id among the case's entries.
		e := entryFor(t, s.base, "/api/v1/api-logs?filter[object-id]="+caseID, apiReq)
		if e.Type != "api-log" || e.Attrs.Actor == nil || e.Attrs.Actor.Type != "api-key" || e.Attrs.Method != "GET" ||
			e.Attrs.Route != "/api/v1/cases/{id}" || strings.Join(e.Attrs.ObjectIDs, ",") != caseID || e.Attrs.Status != 200 ||
			e.Attrs.ClientAddress != "127.0.0.1" {
			t.Errorf("API entry: %+v", e)
		}
		keyID := e.Attrs.Actor.ID

		// Who opened this case in the dashboard, and what they did.
		var opened []logEntry
		eventually(t, 10*time.Second, func() (bool, string) {
			status, opened = accessLog(t, s.base, testKey, "/api/v1/user-audit-logs?filter[object-id]="+caseID)
			return len(opened) >= 3, fmt.Sprintf("%d: %d entries for the case", status, len(opened))
		})
		var got []string
		for _, e := range opened {
			if e.Attrs.Actor == nil || e.Attrs.Actor.Type != "user" || e.Attrs.UserID == nil || *e.Attrs.UserID != e.Attrs.Actor.ID {
				t.Errorf("dashboard entry without its user: %+v", e)
			}
			got = append(got, fmt.Sprintf("%s %s %d", e.Attrs.Method, e.Attrs.Route, e.Attrs.Status))
		}
		// Newest first: the comment, the case page the form was loaded from, the first visit.
		if want := "POST /cases/{id}/comments 303|GET /cases/{id} 200|GET /cases/{id} 200"; strings.Join(got, "|") != want {
			t.Errorf("the case's dashboard entries: %q, want %q", strings.Join(got, "|"), want)
		}
		adaID := opened[0].Attrs.Actor.ID

		// Filters.
		for _, tc := range []struct {
			name, path string
			want       int
		}{
			{"ada's sign-in", "/user-audit-logs?filter[actor-id]=" + adaID + "&filter[route]=/login&filter[method]=post", 1},
			{"ada's comments", "/user-audit-logs?filter[actor-id]=" + adaID + "&filter[route]=/cases/{id}/comments", 1},
			{"the key's case reads", "/api-logs?filter[actor-id]=" + keyID + "&filter[route]=/api/v1/cases/{id}", 1},
			{"the future", "/api-logs?filter[created-at-start]=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)), 0},
			{"the past hour", "/api-logs?filter[actor-id]=" + keyID + "&filter[route]=/api/v1/cases/{id}&filter[created-at-start]=" +
				url.QueryEscape(time.Now().Add(-time.Hour).Format(time.RFC3339)) + "&filter[created-at-end]=" +
				url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)), 1},
		} {
			if status, list := accessLog(t, s.base, testKey, "/api/v1"+tc.path); status != 200 || len(list) != tc.want {
				t.Errorf("%s: %d, %d entries, want %d", tc.name, status, len(list), tc.want)
			}
		}
		if status, _, body := keyRequest(t, s.base, testKey, "GET", "/api/v1/api-logs?filter[created-at-start]=yesterday", ""); status != 400 ||
			!strings.Contains(body, `"parameter":"filter[created-at-start]"`) {
			t.Errorf("a bad time: %d %s", status, body)
		}

		// Only administrators read it: a manager's key, a key without audit.read.
		for _, key := range []string{strings.TrimSpace(miaKey), strings.TrimSpace(readerKey)} {
			for _, path := range []string{"/api/v1/api-logs", "/api/v1/user-audit-logs"} {
				if status, _, body := keyRequest(t, s.base, key, "GET", path, ""); status != 403 {
					t.Errorf("GET %s with a non-admin key: %d %s", path, status, body)
				}
			}
		}

		// What was sent (bodies, queries, the sign-in's email) is nowhere in the log.
		for _, text := range []string{m, "ada@example.com", "mia@example.com"} {
			for _, col := range storetest.ColumnsHolding(t, dbURL, text) {
				if strings.HasPrefix(col.Table, "access_log") {
					t.Errorf("%s holds %q", col, text)
				}
			}
		}

		// A request just before shutdown is written while the server stops.
		_, lastReq, _ := keyRequest(t, s.base, testKey, "GET", "/api/v1/cases/"+caseID, "")
		if err := s.stop(); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := storetest.RawDB(t, dbURL).QueryRow(`SELECT count(*) FROM access_log WHERE id = $1`, lastReq).Scan(&n); err != nil || n != 1 {
			t.Fatalf("the last request's entry after shutdown: %d (%v)", n, err)
		}
	})
}
