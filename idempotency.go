package docket

import "time"

// IdempotencyTTL is how long a POST's response is kept for replay under its Idempotency-Key.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyLease is how long a request in flight holds its Idempotency-Key without
// renewing it. The process serving the request renews the lease every third of it; a
// process that dies stops renewing, so a retry may take the key over once the lease has
// run out (and runs the request again) rather than being told "in progress" for the
// whole replay window.
const IdempotencyLease = 30 * time.Second

// StoredResponse is the first response to a request sent with an Idempotency-Key.
// Status 0 means that first request is still being served.
type StoredResponse struct {
	RequestHash string
	Status      int
	Body        []byte
}
