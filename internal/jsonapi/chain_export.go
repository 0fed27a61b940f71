package jsonapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/docket-hq/docket"
)

// WriteChainExport streams the links f selects, oldest first, as NDJSON (one ChainLine a
// line), up to head, the chain's head as it stood when the request came (sent as the
// Docket-Chain-Head header). The API's GET /events/export and the dashboard's export
// both write it. The status is sent before the first batch is read: an error after that
// ends the stream early, and the receiver resumes from the last complete line's sequence.
func WriteChainExport(ctx context.Context, w http.ResponseWriter, cs docket.ChainService, head docket.ChainHead,
	f docket.ChainFilter, batch int) error {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Docket-Chain-Head", strconv.FormatInt(head.Seq, 10))
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	f.Through = head.Seq
	return docket.ExportChain(ctx, cs, f, batch, func(links []*docket.ChainLink) error {
		// Each batch gets its own write deadline: a long export keeps going while it
		// makes progress, whatever the server's write timeout.
		_ = rc.SetWriteDeadline(time.Now().Add(time.Minute))
		for _, l := range links {
			if err := enc.Encode(NewChainLine(l)); err != nil {
				return err
			}
		}
		return rc.Flush()
	})
}
