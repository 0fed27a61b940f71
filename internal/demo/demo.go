// Package demo fills an empty Docket with the templates, users, accounts and cases of a
// small review team, so that a newcomer has something to look at.
package demo

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// Store is what the demo loader writes through: the same services the API uses.
type Store interface {
	docket.CaseTemplateService
	docket.CaseService
	docket.UserService
	docket.AccountService
}

var actor = docket.Actor{Type: docket.ActorSystem, ID: "demo"}

func f(v float64) *float64 { return &v }
func n(v int64) *int64     { return &v }

// Templates are the four kinds of case the seeds describe.
func Templates() []*docket.CaseTemplate {
	return []*docket.CaseTemplate{
		{Name: "KYC review", Key: "KYC", SLASeconds: n(24 * 3600), FieldSchemas: []docket.FieldSchema{
			{Key: "reason", Type: docket.FieldChoices, Label: "Reason for review", Config: docket.FieldConfig{Options: []string{"under-18", "document-mismatch", "watchlist-hit"}}},
			{Key: "country", Type: docket.FieldString, Label: "Country", Config: docket.FieldConfig{MaxLength: intp(2)}},
		}},
		{Name: "Fraud investigation", Key: "FRAUD", Statuses: []docket.Status{
			{Name: "Open", Type: docket.StatusInitial}, {Name: "Investigating", Type: docket.StatusIntermediate},
			{Name: "Awaiting documentation", Type: docket.StatusIntermediate},
			{Name: "Confirmed fraud", Type: docket.StatusEnd}, {Name: "Cleared", Type: docket.StatusEnd},
		}, FieldSchemas: []docket.FieldSchema{
			{Key: "signal", Type: docket.FieldString, Label: "Signal"},
			{Key: "loss-amount", Type: docket.FieldFloat, Label: "Loss amount", Config: docket.FieldConfig{Min: f(0)}},
		}},
		{Name: "AML alert", Key: "AML", SLASeconds: n(72 * 3600), FieldSchemas: []docket.FieldSchema{
			{Key: "amount", Type: docket.FieldFloat, Label: "Amount", Required: true, Config: docket.FieldConfig{Min: f(0)}},
			{Key: "currency", Type: docket.FieldChoices, Label: "Currency", Required: true, Config: docket.FieldConfig{Options: []string{"USD", "EUR", "GBP"}}},
			{Key: "rules-violated", Type: docket.FieldArray, Label: "Rules violated"},
		}},
		{Name: "SAR", Key: "SAR", SAR: true, Statuses: []docket.Status{
			{Name: "Drafting", Type: docket.StatusInitial}, {Name: "In review", Type: docket.StatusIntermediate},
			{Name: "Filed", Type: docket.StatusEnd}, {Name: "Not filed", Type: docket.StatusEnd},
		}},
	}
}

func intp(v int) *int { return &v }

// Load writes the demo data if the database has no case templates yet. It reports
// whether it loaded anything.
func Load(ctx context.Context, s Store) (bool, error) {
	existing, _, err := s.ListTemplates(ctx, docket.CaseTemplateFilter{Page: docket.Page{Size: 1}})
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	users := []*docket.User{
		{Email: "ada@example.com", Name: "Ada Reviewer", Role: "reviewer", Available: true},
		{Email: "grace@example.com", Name: "Grace Manager", Role: "manager", Available: true},
		{Email: "alan@example.com", Name: "Alan Analyst", Role: "reviewer", Available: true},
	}
	for _, u := range users {
		if err := s.CreateUser(ctx, actor, u); err != nil {
			return false, fmt.Errorf("demo user %s: %w", u.Email, err)
		}
	}
	tmpls := Templates()
	// KYC rotates between the two reviewers; AML alerts go to whoever has the fewest.
	tmpls[0].AssignmentPolicy = docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: []string{users[0].ID, users[2].ID}}
	tmpls[0].NotificationPolicy = docket.NotificationPolicy{Emails: []string{users[1].Email}}
	tmpls[2].AssignmentPolicy = docket.AssignmentPolicy{Type: docket.AssignFewestCases, UserIDs: []string{users[0].ID, users[2].ID}}
	for _, t := range tmpls {
		if err := s.CreateTemplate(ctx, actor, t); err != nil {
			return false, fmt.Errorf("demo template %s: %w", t.Key, err)
		}
	}
	for i := 1; i <= 12; i++ {
		if err := demoCase(ctx, s, tmpls, users, i); err != nil {
			return false, err
		}
	}
	return true, nil
}

func demoCase(ctx context.Context, s Store, tmpls []*docket.CaseTemplate, users []*docket.User, i int) error {
	ref := fmt.Sprintf("user-%04d", i)
	acct := &docket.Account{ReferenceID: &ref, Fields: map[string]any{"name": fmt.Sprintf("Customer %d", i)}}
	if err := s.CreateAccount(ctx, actor, acct); err != nil {
		return fmt.Errorf("demo account: %w", err)
	}
	t := tmpls[i%3]
	nc := docket.NewCase{TemplateID: t.ID, ObjectIDs: []string{acct.ID}, Tags: []string{"demo"}}
	switch t.Key {
	case "KYC":
		nc.Fields = map[string]any{"reason": "under-18", "country": "US"}
	case "FRAUD":
		nc.Fields = map[string]any{"signal": "new device and password reset", "loss-amount": 120.5 * float64(i)}
	case "AML":
		nc.Fields = map[string]any{"amount": 9500.0 + float64(i*1000), "currency": "USD", "rules-violated": []any{"structuring"}}
	}
	c, err := s.CreateCase(ctx, actor, nc)
	if err != nil {
		return fmt.Errorf("demo case: %w", err)
	}
	if i%2 == 0 {
		if _, err := s.AssignCase(ctx, actor, c.ID, users[i%len(users)].Email); err != nil {
			return err
		}
	}
	if i%4 == 0 {
		if _, err := s.SetCaseStatus(ctx, actor, c.ID, t.Resolutions()[0]); err != nil {
			return err
		}
	}
	return nil
}
