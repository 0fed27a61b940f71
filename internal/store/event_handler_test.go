package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// openBareStore opens a store with no handlers and no workflow rules: persistence only.
func openBareStore(t testing.TB, dbURL string) *store.Store {
	t.Helper()
	if !strings.HasPrefix(dbURL, "sqlite:") {
		pgOpenMu.Lock()
		defer pgOpenMu.Unlock()
	}
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestEventHandlers: handlers are called in registration order with the events just
// written and their typed objects, inside the change's transaction (they read what it
// wrote before it commits), and an error from any of them rolls the whole change back.
func TestEventHandlers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openBareStore(t, dbURL)
		var calls []string
		failOn := ""
		s.OnEvents(func(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
			for _, e := range events {
				calls = append(calls, "first "+e.Name)
				tm, ok := e.Data.(*docket.CaseTemplate)
				if !ok || tm.ID != e.ObjectID {
					return fmt.Errorf("%s carries %T %+v", e.Name, e.Data, e.Data)
				}
				// The template is not committed yet, but the transaction sees it.
				if _, err := tx.FindTemplate(ctx, e.ObjectID); err != nil {
					return err
				}
			}
			return nil
		})
		s.OnEvents(func(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
			for _, e := range events {
				calls = append(calls, "second "+e.Name)
				if tm := e.Data.(*docket.CaseTemplate); tm.Key == failOn {
					return errors.New("handler refuses " + tm.Key)
				}
			}
			return nil
		})

		kept := mkTemplate(t, s, &docket.CaseTemplate{Name: "Kept", Key: "KEEP"})
		wantStrings(t, "calls", calls, []string{"first case-template.created", "second case-template.created"})

		calls, failOn = nil, "GONE"
		err := s.CreateTemplate(ctx, apiActor, &docket.CaseTemplate{Name: "Gone", Key: "GONE"})
		if err == nil || !strings.Contains(err.Error(), "handler refuses GONE") {
			t.Fatalf("create with a failing handler: %v", err)
		}
		wantStrings(t, "calls", calls, []string{"first case-template.created", "second case-template.created"})
		events := allEvents(t, s, docket.EventFilter{Name: docket.EventTemplateCreated})
		if len(events) != 1 || events[0].ObjectID != kept.ID {
			t.Fatalf("events after the rolled-back change: %+v", events)
		}
		if events[0].Data != nil {
			t.Fatalf("an event read back carries Data %T", events[0].Data)
		}
		list, _, err := s.ListTemplates(ctx, docket.CaseTemplateFilter{Page: docket.Page{Size: 10}})
		noErr(t, err)
		if len(list) != 1 || list[0].ID != kept.ID {
			t.Fatalf("templates after the rolled-back change: %d", len(list))
		}
	})
}

// TestBareStore: a store opened without the features' registrations persists changes but
// reacts to none of them, and refuses to save workflows it has no rules to check.
func TestBareStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openBareStore(t, dbURL)
		mkUser(t, s, "ops@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC",
			NotificationPolicy: docket.NotificationPolicy{Emails: []string{"ops@example.com"}}})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		if names := eventNames(t, s, c.ID); len(names) != 1 || names[0] != docket.EventCaseCreated {
			t.Fatalf("events of the case: %v", names)
		}
		if n := notificationCount(t, dbURL); n != 0 {
			t.Fatalf("a bare store made %d notifications", n)
		}
		_, err := s.CreateWorkflow(ctx, apiActor, docket.NewWorkflow{Name: "w", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerAPI}}})
		if err == nil || !strings.Contains(err.Error(), "no workflow rules") {
			t.Fatalf("CreateWorkflow on a bare store: %v", err)
		}
	})
}
