package jsonapi

import (
	"encoding/json"

	"github.com/docket-hq/docket"
)

// ChainLine is one line of the event export (NDJSON): the event with its place in the
// chain, so that the receiver can check it (docs/architecture.md, "The event chain").
// Object is the snapshot as stored (the domain JSON that the digest covers, unless
// SnapshotErased), not the API's rendering of it. Its keys are never inflected: renamed
// keys would no longer match the digest.
type ChainLine struct {
	Sequence       int64           `json:"sequence"`
	Hash           string          `json:"hash"`
	PrevHash       string          `json:"prev-hash"`
	ObjectDigest   string          `json:"object-digest"`
	SnapshotErased bool            `json:"snapshot-erased"`
	ID             string          `json:"id"`
	Name           string          `json:"name"`
	ObjectType     string          `json:"object-type"`
	ObjectID       string          `json:"object-id"`
	Actor          docket.Actor    `json:"actor"`
	CreatedAt      string          `json:"created-at"`
	Object         json.RawMessage `json:"object"`
}

// NewChainLine renders a link as an export line.
func NewChainLine(l *docket.ChainLink) ChainLine {
	return ChainLine{Sequence: l.Seq, Hash: l.Hash, PrevHash: l.PrevHash, ObjectDigest: l.Digest, SnapshotErased: l.Erased,
		ID: l.ID, Name: l.Name, ObjectType: l.ObjectType, ObjectID: l.ObjectID, Actor: l.Actor,
		CreatedAt: docket.ChainTime(l.CreatedAt), Object: l.Object}
}

// ChainHead renders the chain's head: an anchor, with the time it was written.
func ChainHead(h docket.ChainHead) Object {
	return Object{"sequence": h.Seq, "hash": h.Hash, "updated-at": ts(h.UpdatedAt),
		"anchor": docket.Anchor{Seq: h.Seq, Hash: h.Hash}.String()}
}

// ChainReport renders a verification's result.
func ChainReport(r docket.ChainReport) Object {
	out := Object{"ok": r.OK, "events": r.Events, "erased-events": r.Erased, "head": ChainHead(r.Head), "fault": nil}
	if r.Anchor != nil {
		out["anchor"] = Object{"sequence": r.Anchor.Seq, "hash": r.Anchor.Hash}
	}
	if f := r.Fault; f != nil {
		out["fault"] = Object{"kind": f.Kind, "sequence": f.Seq, "event-id": strOrEmpty(f.EventID),
			"previous-event-id": strOrEmpty(f.PrevEventID), "detail": f.Detail}
	}
	return out
}

// strOrEmpty renders "" as null: no such event.
func strOrEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
