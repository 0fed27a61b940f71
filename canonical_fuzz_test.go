package docket_test

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// referenceCanonical is CanonicalJSON written the plain way, through encoding/json's
// maps: the fuzz test holds the one-pass parser to it.
func referenceCanonical(doc []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	var b bytes.Buffer
	var write func(v any)
	write = func(v any) {
		switch x := v.(type) {
		case nil:
			b.WriteString("null")
		case bool:
			b.WriteString(strconv.FormatBool(x))
		case json.Number:
			// Numbers go through the same function in both; the fuzz test checks the
			// parsing around them.
			c, _ := docket.CanonicalJSON([]byte(x))
			b.Write(c)
		case string:
			c, _ := docket.CanonicalJSON(mustMarshal(x))
			b.Write(c)
		case []any:
			b.WriteByte('[')
			for i, e := range x {
				if i > 0 {
					b.WriteByte(',')
				}
				write(e)
			}
			b.WriteByte(']')
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				write(k)
				b.WriteByte(':')
				write(x[k])
			}
			b.WriteByte('}')
		}
	}
	write(v)
	return b.Bytes(), true
}

func mustMarshal(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func FuzzCanonicalJSON(f *testing.F) {
	for _, seed := range []string{
		`{"b":1,"a":[true,null,"x"]}`, `{"a":1,"a":2}`, `[1.50,-0.0,1e2,1.5E-3,-2.5e+1]`, `"\u003c\ud83d\ude00\ud800x"`,
		`{"k":{"z":[],"y":{}}}`, ` [ "a\"\\\/\b\f\n\r\t" ] `, "\"\xff\xfe\"", `01`, `[1,]`, `{"a" 1}`, `1e999`, `tru`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := docket.CanonicalJSON(doc)
		want, ok := referenceCanonical(doc)
		if (err == nil) != ok {
			t.Fatalf("CanonicalJSON(%q): error %v, encoding/json accepts: %v", doc, err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("CanonicalJSON(%q) = %s, reference %s", doc, got, want)
		}
		if ok {
			again, err := docket.CanonicalJSON(got)
			if err != nil || !bytes.Equal(again, got) {
				t.Fatalf("not idempotent: %s then %s (%v)", got, again, err)
			}
		}
	})
}

// BenchmarkSnapshotDigest is the chain's cost per event: a case snapshot's digest
// (docs/benchmarks.md, "The event chain").
func BenchmarkSnapshotDigest(b *testing.B) {
	now := time.Now()
	body, err := json.Marshal(&docket.Case{ID: docket.NewID(docket.PrefixCase), Name: "KYC-123", Status: "Open",
		TemplateID: docket.NewID(docket.PrefixTemplate), Fields: map[string]any{"amount": 125.5, "note": "hello"},
		Tags: []string{"a"}, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := docket.SnapshotDigest(body); err != nil {
			b.Fatal(err)
		}
	}
}
