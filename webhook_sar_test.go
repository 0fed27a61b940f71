package docket_test

import (
	"testing"

	"github.com/docket-hq/docket"
)

// TestWebhookSARAccess: SAR events go only to webhooks that name them, and only someone
// who may file SARs may set one up.
func TestWebhookSARAccess(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		events []string
		event  string
		want   bool
	}{
		{[]string{"*"}, "sar.created", false},
		{[]string{"*"}, "case.created", true},
		{[]string{"sar.*"}, "sar.filed", true},
		{[]string{"case.*", "sar.approved"}, "sar.approved", true},
		{[]string{"case.*", "sar.approved"}, "sar.filed", false},
		{[]string{"*", "sar.*"}, "sar.updated", true},
	} {
		if got := (&docket.Webhook{EnabledEvents: tc.events}).Wants(tc.event); got != tc.want {
			t.Errorf("%v wants %s: %v, want %v", tc.events, tc.event, got, tc.want)
		}
	}
	key := &docket.APIKey{Scopes: []string{docket.ScopeWebhookWrite}}
	if err := docket.KeyPrincipal(key, nil).CheckWebhookEvents([]string{"sar.*"}); docket.ErrorCode(err) != docket.EForbidden {
		t.Errorf("a key without sar.file set up a SAR webhook: %v", err)
	}
	if err := docket.KeyPrincipal(key, nil).CheckWebhookEvents([]string{"*"}); err != nil {
		t.Errorf("a catch-all webhook: %v", err)
	}
	filer := &docket.APIKey{Scopes: []string{docket.ScopeWebhookWrite, docket.ScopeSARFile}}
	if err := docket.KeyPrincipal(filer, nil).CheckWebhookEvents([]string{"sar.*"}); err != nil {
		t.Errorf("a SAR filer's webhook: %v", err)
	}
}
