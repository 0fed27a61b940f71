package docket

import (
	"fmt"
	"strings"

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
