package docket

import (
	"fmt"
	"testing"
)

func members(avail ...bool) (AssignmentPolicy, map[string]*Member) {
	p := AssignmentPolicy{}
	m := map[string]*Member{}
	for i, a := range avail {
		id := fmt.Sprintf("user_%d", i)
		p.UserIDs = append(p.UserIDs, id)
		m[id] = &Member{UserID: id, Email: fmt.Sprintf("u%d@example.com", i), Available: a}
	}
	return p, m
}

func TestAssignerRoundRobin(t *testing.T) {
	tests := []struct {
		name  string
		avail []bool
		last  string
		want  []string
	}{
		{"rotates from the start", []bool{true, true, true}, "", []string{"user_0", "user_1", "user_2", "user_0"}},
		{"continues after the last", []bool{true, true, true}, "user_1", []string{"user_2", "user_0", "user_1"}},
		{"skips the unavailable", []bool{true, false, true}, "", []string{"user_0", "user_2", "user_0"}},
		{"last no longer in the group", []bool{true, true}, "user_9", []string{"user_0", "user_1"}},
		{"nobody available", []bool{false, false}, "", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, m := members(tt.avail...)
			p.Type = AssignRoundRobin
			a := &Assigner{Policy: p, Members: m, Last: tt.last}
			for i, want := range tt.want {
				got, ok := a.Pick(nil)
				if got != want || ok != (want != "") {
					t.Fatalf("pick %d: got %q %v, want %q", i, got, ok, want)
				}
			}
		})
	}
}

func TestAssignerFewestCases(t *testing.T) {
	p, m := members(true, true, true, false)
	p.Type = AssignFewestCases
	m["user_0"].OpenCases, m["user_1"].OpenCases, m["user_2"].OpenCases, m["user_3"].OpenCases = 5, 3, 3, 0
	a := &Assigner{Policy: p, Members: m}
	// user_3 has fewest but is away; user_1 and user_2 tie and take turns until they
	// reach user_0, then all three take turns.
	want := []string{"user_1", "user_2", "user_1", "user_2", "user_0", "user_1", "user_2", "user_0"}
	for i, w := range want {
		if got, _ := a.Pick(nil); got != w {
			t.Fatalf("pick %d: got %s, want %s", i, got, w)
		}
	}
}

func TestAssignerInquiryCreator(t *testing.T) {
	p, m := members(true, false, true)
	p.Type = AssignInquiryCreator
	a := &Assigner{Policy: p, Members: m}
	tests := []struct {
		creators []string
		want     string
	}{
		{[]string{"u2@example.com"}, "user_2"},
		{[]string{"u1@example.com"}, ""},                         // away
		{[]string{"stranger@example.com"}, ""},                   // not in the group
		{[]string{"u1@example.com", "u0@example.com"}, "user_0"}, // first creator who can take it
		{nil, ""},
	}
	for _, tt := range tests {
		got, ok := a.Pick(tt.creators)
		if got != tt.want || ok != (tt.want != "") {
			t.Fatalf("creators %v: got %q, want %q", tt.creators, got, tt.want)
		}
	}
}

func TestAssignerManual(t *testing.T) {
	p, m := members(true)
	p.Type = AssignManual
	if got, ok := (&Assigner{Policy: p, Members: m}).Pick([]string{"u0@example.com"}); ok {
		t.Fatalf("manual assigned %s", got)
	}
}

// TestAssignerDeactivated: a deactivated member gets no case under any policy, even when
// marked available.
func TestAssignerDeactivated(t *testing.T) {
	for _, typ := range []string{AssignRoundRobin, AssignFewestCases, AssignInquiryCreator} {
		t.Run(typ, func(t *testing.T) {
			p, m := members(true, true)
			p.Type = typ
			m["user_0"].Deactivated = true
			m["user_1"].OpenCases = 9
			a := &Assigner{Policy: p, Members: m}
			for range 3 {
				got, _ := a.Pick([]string{"u0@example.com", "u1@example.com"})
				if got != "user_1" {
					t.Fatalf("picked %q, want user_1 (user_0 is deactivated)", got)
				}
			}
		})
	}
}
