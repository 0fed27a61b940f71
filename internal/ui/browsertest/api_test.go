package browsertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// api calls the server's JSON:API with the test key and returns the status and the
// decoded document. Tests use it for what the README does with curl: workflows,
// inquiries.
func (s *server) api(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("%s %s: decode: %v", method, path, err)
	}
	return resp.StatusCode, doc
}

// apiOK calls the API and fails unless the status is want; it returns the document's data.
func (s *server) apiOK(t *testing.T, want int, method, path, body string) map[string]any {
	t.Helper()
	status, doc := s.api(t, method, path, body)
	if status != want {
		t.Fatalf("%s %s: status %d, want %d: %v", method, path, status, want, doc)
	}
	d, _ := doc["data"].(map[string]any)
	return d
}

// eventually polls cond until it holds, failing with its last explanation after timeout.
func eventually(t *testing.T, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", timeout, why)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// publishWorkflow creates a workflow from a definition (JSON) and publishes it.
func (s *server) publishWorkflow(t *testing.T, name, definition string) string {
	t.Helper()
	w := s.apiOK(t, 201, "POST", "/workflows", fmt.Sprintf(`{"data":{"attributes":{"name":%q,"definition":%s}}}`, name, definition))
	id, _ := w["id"].(string)
	s.apiOK(t, 200, "POST", "/workflows/"+id+"/publish", "")
	return id
}
