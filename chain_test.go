package docket_test

import (
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// The digest must not depend on how a database kept the snapshot: PostgreSQL's JSONB
// reorders keys, drops spaces, unescapes and rewrites numbers.
func TestCanonicalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"keys sorted, spaces dropped", `{ "b": 1, "a" : [true, null, "x"] }`, `{"a":[true,null,"x"],"b":1}`},
		{"nested keys sorted", `{"z":{"y":1,"x":2}}`, `{"z":{"x":2,"y":1}}`},
		{"trailing zeros", `[1.50, 1.0, -0.0, 0.000, 10]`, `[1.5,1,0,0,10]`},
		{"exponents written out", `[1e2, 1.5E-3, -2.5e+1, 1e21, 12e-1]`, `[100,0.0015,-25,1000000000000000000000,1.2]`},
		{"huge exponents kept", `[1e999]`, `[1e999]`},
		{"HTML escapes undone", `"\u003cb\u003e \u0026"`, `"<b> &"`},
		{"only quote, backslash and controls escaped", `"a\"b\\c\n\t\u0001/é\u2028"`, "\"a\\\"b\\\\c\\u000a\\u0009\\u0001/é\u2028\""},
		{"unicode escapes undone", `"\u00fc\ud83d\ude00"`, `"ü😀"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := docket.CanonicalJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("CanonicalJSON(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{``, `{`, `{} {}`, `[1,]`} {
		if _, err := docket.CanonicalJSON([]byte(bad)); err == nil {
			t.Errorf("CanonicalJSON(%q) accepted", bad)
		}
	}
}

// The hash is documented byte for byte (docs/architecture.md): a receiver outside Go
// recomputes it from an export line. This vector pins it.
func TestChainHash(t *testing.T) {
	t.Parallel()
	l := &docket.ChainLink{Event: docket.Event{ID: "evt_1", Name: "case.created", ObjectType: "case", ObjectID: "case_1",
		Actor: docket.Actor{Type: "user", ID: "user_1"}, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)},
		Seq: 1, PrevHash: docket.ChainGenesis, Digest: "d"}
	// printf '64:%s,1:1,5:evt_1,12:case.created,4:case,6:case_1,4:user,6:user_1,24:2026-01-02T03:04:05.678Z,1:d,' $(printf '0%.0s' {1..64}) | sha256sum
	const want = "9b828c34daaa4ef21c9a7ecc4e4899aacd9d7d36bc92793398a82229e6e5498e"
	got := docket.ChainHash(l)
	if got != want {
		t.Fatalf("ChainHash = %s, want %s (what sha256sum gives)", got, want)
	}
	l2 := *l
	l2.Actor.ID = "user_2"
	if docket.ChainHash(&l2) == got {
		t.Fatal("the hash does not cover the actor")
	}
}

func TestParseAnchor(t *testing.T) {
	t.Parallel()
	hash := "ab" + docket.ChainGenesis[2:]
	tests := []struct {
		in string
		ok bool
	}{
		{"12:" + hash, true},
		{" 12:" + "AB" + docket.ChainGenesis[2:] + "\n", true},
		{"0:" + hash, false},
		{"-1:" + hash, false},
		{"12", false},
		{"12:abc", false},
		{"x:" + hash, false},
		{"12:" + hash + "00", false},
	}
	for _, tt := range tests {
		a, err := docket.ParseAnchor(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseAnchor(%q): %v", tt.in, err)
		}
		if tt.ok && (a.Seq != 12 || a.Hash != hash || a.String() != "12:"+hash) {
			t.Errorf("ParseAnchor(%q) = %+v", tt.in, a)
		}
	}
}
