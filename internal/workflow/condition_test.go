package workflow

import (
	"strings"
	"testing"
	"time"
)

func TestCompileRefusesBadConditions(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"", "empty"},
		{"trigger.status ==", "unexpected"},
		{"unknown > 1", "unknown name"},
		{"age(5) < 18", "cannot use int"},
		{"1 + 1", "expected bool"},
		{strings.Repeat("1 + ", 600) + "1 > 0", "exceeds maximum"},
	}
	for _, tt := range tests {
		if _, err := Compile(tt.src); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%.40q) = %v, want an error containing %q", tt.src, err, tt.want)
		}
	}
}

func TestConditionEval(t *testing.T) {
	inquiry := map[string]any{"status": "completed", "fields": map[string]any{"birthdate": "2010-06-15", "country": "US"}}
	env := Env{Trigger: inquiry, Steps: map[string]any{"open-case": map[string]any{"id": "case_1"}}, Input: map[string]any{"amount": 12000.5}}
	tests := []struct {
		src  string
		want bool
	}{
		{`trigger.status == "completed"`, true},
		{`age(trigger.fields.birthdate) < 18`, true},
		{`trigger.fields.country in ["US", "CA"] && age(trigger.fields.birthdate) >= 18`, false},
		{`input.amount > 10000`, true},
		{`steps["open-case"].id == "case_1"`, true},
		{`trigger.fields.missing == nil`, true},
	}
	for _, tt := range tests {
		c, err := Compile(tt.src)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.src, err)
		}
		got, err := c.Holds(env)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
	c, _ := Compile(`trigger.fields.country > 5`)
	if _, err := c.Holds(env); err == nil {
		t.Error("comparing a string with a number should be an error, not false")
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		birth string
		want  int
	}{
		{"2008-11-23", 18}, // birthday today
		{"2008-11-24", 17}, // tomorrow
		{"2008-12-01", 17},
		{"2008-01-01", 18},
		{"2000-02-29", 26},
	}
	for _, tt := range tests {
		if got, err := ageAt(tt.birth, now); err != nil || got != tt.want {
			t.Errorf("ageAt(%s) = %d, %v; want %d", tt.birth, got, err, tt.want)
		}
	}
	if _, err := ageAt("23/11/2008", now); err == nil {
		t.Error("a malformed date must be an error")
	}
}

func TestMemoryBudget(t *testing.T) {
	c, err := Compile(`len(map(1..1000000, # * 2)) > 0`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Holds(Env{}); err == nil || !strings.Contains(err.Error(), "memory budget") {
		t.Fatalf("a huge allocation must hit the memory budget, got %v", err)
	}
}
