package docket_test

import (
	"slices"
	"testing"

	"github.com/docket-hq/docket"
)

// TestEventNames: the names offered to pick from are unique, each names its object type
// before the dot, and a webhook subscribed to a type's glob wants every name of it.
func TestEventNames(t *testing.T) {
	names := docket.EventNames()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
		typ := docket.EventObjectType(n)
		if typ == "" || typ == n || !slices.Contains(docket.EventObjectTypes(), typ) {
			t.Errorf("%s: object type %q", n, typ)
		}
		if w := (&docket.Webhook{EnabledEvents: []string{typ + ".*"}}); !w.Wants(n) {
			t.Errorf("a webhook on %s.* does not want %s", typ, n)
		}
	}
	for _, want := range []string{"case.created", "case.resolution-proposed", "case.resolution-rejected", "case-comment.created", "inquiry.approved", "workflow.published", "workflow-run.errored", "webhook.disabled", "sar.filed"} {
		if !seen[want] {
			t.Errorf("%s is not listed", want)
		}
	}
	if got := docket.EventObjectTypes(); got[0] != "case" || len(got) != 14 {
		t.Errorf("object types %v", got)
	}
}
