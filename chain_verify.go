package docket

import (
	"context"
	"fmt"
)

// What a broken chain shows, by the first bad event found.
const (
	// FaultEdited: an event's content or hash was changed (its hash no longer matches,
	// or its snapshot no longer matches its digest and no redaction erased it).
	FaultEdited = "edited"
	// FaultDeleted: events are missing (a gap in the sequence, or the chain ends before
	// its recorded head or an anchor).
	FaultDeleted = "deleted"
	// FaultInserted: an event does not follow the one before it (its previous hash is
	// not that event's hash), lies beyond the chain's head, or has no place in it.
	FaultInserted = "inserted"
	// FaultAnchor: the chain no longer holds an anchor taken earlier: the events up to
	// it were rewritten (hashes recomputed) since.
	FaultAnchor = "anchor-mismatch"
)

// ChainFault is the first bad event VerifyChain found.
type ChainFault struct {
	Kind string `json:"kind"`
	// Seq and EventID name the event where the chain breaks (EventID is "" when the
	// events themselves are gone: the chain ends early).
	Seq     int64  `json:"sequence"`
	EventID string `json:"event-id"`
	// PrevEventID is the event before it in the chain, when there is one.
	PrevEventID string `json:"previous-event-id,omitempty"`
	Detail      string `json:"detail"`
}

func (f *ChainFault) Error() string {
	if f.EventID == "" {
		return fmt.Sprintf("event chain broken (%s) at sequence %d: %s", f.Kind, f.Seq, f.Detail)
	}
	return fmt.Sprintf("event chain broken (%s) at event %s (sequence %d): %s", f.Kind, f.EventID, f.Seq, f.Detail)
}

// ChainReport is the result of VerifyChain.
type ChainReport struct {
	OK bool
	// Events counts the events checked; Erased those among them whose snapshots a
	// redaction erased (their hashes are checked, their erased snapshots cannot be).
	Events, Erased int64
	// Head is the chain's head when verification began; events written since are
	// checked by the next verification.
	Head ChainHead
	// Anchor is the anchor checked, if one was given.
	Anchor *Anchor
	Fault  *ChainFault
}

// VerifyChain walks the whole chain, batch links at a time, and reports the first
// event that was edited, deleted or inserted out of order. With an anchor it also
// checks that the chain still holds that exact link. An error is returned only when
// the chain could not be read; a broken chain is a report with a Fault.
func VerifyChain(ctx context.Context, cs ChainService, anchor *Anchor, batch int) (ChainReport, error) {
	head, err := cs.ChainHead(ctx)
	if err != nil {
		return ChainReport{}, err
	}
	v := &chainWalk{report: ChainReport{Head: head, Anchor: anchor}, prevHash: ChainGenesis, anchor: anchor}
	if err := v.walk(ctx, cs, batch); err != nil {
		return ChainReport{}, err
	}
	if v.report.Fault == nil {
		v.report.Fault = v.end()
	}
	if v.report.Fault == nil {
		if v.report.Fault, err = beyondHead(ctx, cs, head); err != nil {
			return ChainReport{}, err
		}
	}
	v.report.OK = v.report.Fault == nil
	return v.report, nil
}

// chainWalk checks links in order, remembering the last good one.
type chainWalk struct {
	report   ChainReport
	anchor   *Anchor
	seq      int64
	prevID   string
	prevHash string
}

func (v *chainWalk) walk(ctx context.Context, cs ChainService, batch int) error {
	head := v.report.Head.Seq
	for v.seq < head {
		links, err := cs.ChainLinks(ctx, ChainFilter{After: v.seq, Through: head, Limit: batch})
		if err != nil {
			return err
		}
		if len(links) == 0 {
			return nil
		}
		for _, l := range links {
			if v.report.Fault = v.check(l); v.report.Fault != nil {
				return nil
			}
			v.seq, v.prevID, v.prevHash = l.Seq, l.ID, l.Hash
			v.report.Events++
			if l.Erased {
				v.report.Erased++
			}
		}
	}
	return nil
}

// check returns what is wrong with the next link, if anything.
func (v *chainWalk) check(l *ChainLink) *ChainFault {
	fault := func(kind, format string, args ...any) *ChainFault {
		return &ChainFault{Kind: kind, Seq: l.Seq, EventID: l.ID, PrevEventID: v.prevID, Detail: fmt.Sprintf(format, args...)}
	}
	switch {
	case l.Seq != v.seq+1:
		return fault(FaultDeleted, "events %d to %d are missing before it", v.seq+1, l.Seq-1)
	case l.PrevHash != v.prevHash:
		return fault(FaultInserted, "its previous hash is not the hash of the event before it in the chain")
	case ChainHash(l) != l.Hash:
		return fault(FaultEdited, "its hash does not match its content")
	case v.anchor != nil && l.Seq == v.anchor.Seq && l.Hash != v.anchor.Hash:
		return fault(FaultAnchor, "its hash is %s, the anchor says %s", l.Hash, v.anchor.Hash)
	}
	if !l.Erased {
		d, err := SnapshotDigest(l.Object)
		if err != nil {
			return fault(FaultEdited, "its snapshot is not valid JSON")
		}
		if d != l.Digest {
			return fault(FaultEdited, "its snapshot does not match its digest")
		}
	}
	return nil
}

// end checks where the walk stopped against the recorded head and the anchor.
func (v *chainWalk) end() *ChainFault {
	head := v.report.Head
	fault := func(kind string, seq int64, format string, args ...any) *ChainFault {
		return &ChainFault{Kind: kind, Seq: seq, PrevEventID: v.prevID, Detail: fmt.Sprintf(format, args...)}
	}
	switch {
	case v.seq < head.Seq:
		return fault(FaultDeleted, v.seq+1, "the chain ends at sequence %d but its head is %d", v.seq, head.Seq)
	case v.prevHash != head.Hash:
		return fault(FaultEdited, head.Seq, "the last event's hash is not the head's recorded hash")
	case v.anchor != nil && v.anchor.Seq > head.Seq:
		return fault(FaultAnchor, v.anchor.Seq, "the anchor is beyond the chain's head (%d): events were removed", head.Seq)
	}
	return nil
}

// beyondHead looks for events the chain does not account for: a row past the head
// (events and the head are written in one transaction, so the head read after the row
// covers any honest one) or a row without a sequence number.
func beyondHead(ctx context.Context, cs ChainService, head ChainHead) (*ChainFault, error) {
	links, err := cs.ChainLinks(ctx, ChainFilter{After: head.Seq, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(links) > 0 {
		now, err := cs.ChainHead(ctx)
		if err != nil {
			return nil, err
		}
		if l := links[0]; l.Seq > now.Seq {
			return &ChainFault{Kind: FaultInserted, Seq: l.Seq, EventID: l.ID,
				Detail: fmt.Sprintf("it lies beyond the chain's head (%d)", now.Seq)}, nil
		}
	}
	id, err := cs.UnchainedEvent(ctx)
	if err != nil || id == "" {
		return nil, err
	}
	return &ChainFault{Kind: FaultInserted, EventID: id, Detail: "it has no place in the chain (no sequence number)"}, nil
}
