package api

import (
	"net/http"
	"strconv"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// chainBatch is how many links a verification or an export reads at a time.
const chainBatch = 500

// verifyChain walks the whole event chain and answers its report in meta; a broken chain
// is still 200: the report is the answer.
func (s *Server) verifyChain(w http.ResponseWriter, r *http.Request) error {
	var anchor *docket.Anchor
	if v := r.URL.Query().Get("anchor"); v != "" {
		a, err := docket.ParseAnchor(v)
		if err != nil {
			_, msg := docket.ErrorField(err)
			return badParam("anchor", "%s", msg)
		}
		anchor = &a
	}
	rep, err := docket.VerifyChain(r.Context(), s.store, anchor, chainBatch)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"meta": jsonapi.ChainReport(rep)})
	return nil
}

// chainAnchor answers the chain's head, to be kept elsewhere as an anchor.
func (s *Server) chainAnchor(w http.ResponseWriter, r *http.Request) error {
	h, err := s.store.ChainHead(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"meta": jsonapi.ChainHead(h)})
	return nil
}

// exportEvents streams the events after the cursor as NDJSON, oldest first, up to the
// head as it stood when the request came, leaving out what the caller may not see. A
// response cut short (by the network or a server stopping) is resumed from the last
// complete line's sequence.
func (s *Server) exportEvents(w http.ResponseWriter, r *http.Request) error {
	after := int64(0)
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badParam("after", "after is a sequence number (0 or more): the last line's sequence")
		}
		after = n
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	head, err := s.store.ChainHead(r.Context())
	if err != nil {
		return err
	}
	f := docket.ChainFilter{After: after, Visibility: vis, HiddenObjectTypes: principal(r).HiddenObjectTypes()}
	err = jsonapi.WriteChainExport(r.Context(), w, s.store, head, f, chainBatch)
	if err != nil && r.Context().Err() == nil {
		// The status is sent: the client sees the stream end early and resumes.
		s.log.Error("export events", "error", err, "after", after)
	}
	return nil
}
