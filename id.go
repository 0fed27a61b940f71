package docket

import (
	"fmt"
	"strings"
	"time"

	"go.jetify.com/typeid"
)

// ID prefixes name the type of every object, so an id alone says what it refers to.
const (
	PrefixCase        = "case"
	PrefixTemplate    = "ctmpl"
	PrefixQueue       = "cqueue"
	PrefixComment     = "cscm"
	PrefixAccount     = "act"
	PrefixInquiry     = "inq"
	PrefixReport      = "rep"
	PrefixTransaction = "txn"
	PrefixTxnType     = "txntp"
	PrefixEvent       = "evt"
	PrefixWorkflow    = "wfl"
	PrefixWorkflowRun = "wfr"
	PrefixWebhook     = "wbh"
	PrefixUser        = "user"
	PrefixAPIKey      = "api"
	PrefixSAR         = "sar"
	PrefixRequest     = "req"
)

// ObjectKind describes a kind of object a case can hold (an account, an inquiry ...): how
// its ids, resources, events and rows are named. ObjectKinds lists them all, and every
// layer derives its lists of kinds from it, so that a new kind is one entry there (and
// its own rendering and loading, which tests check exist for every kind).
type ObjectKind struct {
	// Prefix starts the kind's ids ("txn").
	Prefix string
	// Type is the kind's JSON:API resource type, the object type of its events and the
	// first part of their names ("transaction", as in "transaction.created"). Reports
	// are the exception in the API: a report's resource type is its report type
	// ("report/watchlist").
	Type string
	// Plural names a case's list of them in snapshots keyed by kind, such as the trigger
	// object that workflow conditions see ("transactions").
	Plural string
	// Relation is the case's relationship to them, which is also the name ?include takes
	// ("txns").
	Relation string
	// Table holds the kind's rows. It is empty for a kind the API names but Docket does
	// not store yet: its ids are well formed, but none can be attached to a case.
	Table string
}

// The kinds of object a case can hold.
var (
	KindAccount     = ObjectKind{Prefix: PrefixAccount, Type: "account", Plural: "accounts", Relation: "accounts", Table: "accounts"}
	KindInquiry     = ObjectKind{Prefix: PrefixInquiry, Type: "inquiry", Plural: "inquiries", Relation: "inquiries", Table: "inquiries"}
	KindReport      = ObjectKind{Prefix: PrefixReport, Type: "report", Plural: "reports", Relation: "reports", Table: "reports"}
	KindTransaction = ObjectKind{Prefix: PrefixTransaction, Type: "transaction", Plural: "transactions", Relation: "txns", Table: "transactions"}
	// SARs are in the API's case relationships, but they belong to one case (table sars,
	// column case_id) rather than being attached: they have no Table here.
	KindSAR = ObjectKind{Prefix: PrefixSAR, Type: "sar", Plural: "sars", Relation: "sars"}
)

// ObjectKinds lists every kind of object a case can hold, in the order the API includes
// them.
var ObjectKinds = []ObjectKind{KindAccount, KindInquiry, KindReport, KindTransaction, KindSAR}

// KindOf returns the kind of object an id names, if a case can hold that kind.
func KindOf(id string) (ObjectKind, bool) {
	prefix := IDPrefix(id)
	for _, k := range ObjectKinds {
		if k.Prefix == prefix {
			return k, true
		}
	}
	return ObjectKind{}, false
}

// Stored reports whether Docket stores objects of the kind yet.
func (k ObjectKind) Stored() bool { return k.Table != "" }

// NewID returns a new unguessable, time-sortable id with the given type prefix
// (a TypeID: prefix, underscore, 26 base32 characters of a UUIDv7).
func NewID(prefix string) string {
	id, err := typeid.WithPrefix(prefix)
	if err != nil {
		// Only an invalid prefix can fail, and the prefixes are constants above.
		panic(fmt.Sprintf("new id with prefix %q: %v", prefix, err))
	}
	return id.String()
}

// FirstIDAt returns the smallest id with the prefix that NewID could make at t. Ids are
// UUIDv7, whose first 48 bits count milliseconds since 1970, and their text sorts as
// their bytes do: every id made before t's millisecond sorts before the result, every
// id made at or after it sorts after or equal. Queries use it to turn a time range
// into a range of ids, which the primary key's index already serves.
func FirstIDAt(prefix string, t time.Time) string {
	var b [16]byte
	ms := uint64(max(t.UnixMilli(), 0))
	for i := range 6 {
		b[i] = byte(ms >> (8 * (5 - i)))
	}
	id, err := typeid.FromUUIDBytesWithPrefix(prefix, b[:])
	if err != nil {
		panic(fmt.Sprintf("id at %s with prefix %q: %v", t, prefix, err))
	}
	return id.String()
}

// ValidID reports whether s is a well-formed id with the given prefix.
func ValidID(prefix, s string) bool {
	if !strings.HasPrefix(s, prefix+"_") {
		return false
	}
	id, err := typeid.FromString(s)
	return err == nil && id.Prefix() == prefix
}

// IDPrefix returns the type prefix of an id ("case" for "case_01h...").
func IDPrefix(s string) string {
	i := strings.LastIndexByte(s, '_')
	if i <= 0 {
		return ""
	}
	return s[:i]
}
