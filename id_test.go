package docket

import (
	"slices"
	"testing"
	"time"
)

// notStoredYet are the kinds the API names ahead of their tables.
var notStoredYet = map[string]bool{PrefixSAR: true}

// TestObjectKindsComplete checks that every kind is named in every way the layers need,
// that no two kinds share a name, and that the lists derived from the kinds agree.
func TestObjectKindsComplete(t *testing.T) {
	seen := map[string]map[string]bool{"prefix": {}, "type": {}, "plural": {}, "relation": {}, "table": {}}
	for _, k := range ObjectKinds {
		names := map[string]string{"prefix": k.Prefix, "type": k.Type, "plural": k.Plural, "relation": k.Relation, "table": k.Table}
		for what, name := range names {
			if name == "" {
				if what == "table" && notStoredYet[k.Prefix] {
					continue
				}
				t.Errorf("kind %+v has no %s", k, what)
				continue
			}
			if seen[what][name] {
				t.Errorf("two kinds have the %s %q", what, name)
			}
			seen[what][name] = true
		}
		if k.Stored() == notStoredYet[k.Prefix] {
			t.Errorf("kind %s: stored %v, but notStoredYet says %v", k.Type, k.Stored(), notStoredYet[k.Prefix])
		}
		id := NewID(k.Prefix) // panics on a prefix TypeID refuses
		if got, ok := KindOf(id); !ok || got != k {
			t.Errorf("KindOf(%s) = %+v, %v", id, got, ok)
		}
		if !slices.Contains(AttachablePrefixes, k.Prefix) {
			t.Errorf("%s is not attachable", k.Prefix)
		}
		if err := CheckObjectIDs([]string{id}, "/ids"); err != nil {
			t.Errorf("CheckObjectIDs refuses a %s id: %v", k.Type, err)
		}
	}
	if len(AttachablePrefixes) != len(ObjectKinds) {
		t.Errorf("attachable prefixes %q, kinds %d", AttachablePrefixes, len(ObjectKinds))
	}
	for _, prefix := range []string{PrefixCase, PrefixTxnType, PrefixComment, PrefixUser} {
		id := NewID(prefix)
		if k, ok := KindOf(id); ok {
			t.Errorf("KindOf(%s) = %+v: a case cannot hold it", id, k)
		}
		if err := CheckObjectIDs([]string{id}, "/ids"); err == nil {
			t.Errorf("CheckObjectIDs accepts %s", id)
		}
	}
}

func TestFirstIDAt(t *testing.T) {
	before := NewID(PrefixRequest)
	time.Sleep(2 * time.Millisecond) // ids carry milliseconds: make the next one a later millisecond
	at := time.Now()
	bound := FirstIDAt(PrefixRequest, at)
	after := NewID(PrefixRequest)
	if !(before < bound) {
		t.Errorf("id made before t (%s) does not sort before FirstIDAt (%s)", before, bound)
	}
	if !(bound <= after) {
		t.Errorf("id made after t (%s) sorts before FirstIDAt (%s)", after, bound)
	}
	if !ValidID(PrefixRequest, bound) {
		t.Errorf("FirstIDAt made an invalid id %q", bound)
	}
	if got := FirstIDAt(PrefixRequest, time.UnixMilli(0)); got >= before {
		t.Errorf("FirstIDAt(1970) = %s, want below every id", got)
	}
}
