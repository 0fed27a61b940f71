package docket

import "time"

// IdempotencyTTL is how long a POST's response is kept for replay under its Idempotency-Key.
const IdempotencyTTL = 24 * time.Hour

// StoredResponse is the first response to a request sent with an Idempotency-Key.
// Status 0 means that first request is still being served.
type StoredResponse struct {
	RequestHash string
	Status      int
	Body        []byte
}
