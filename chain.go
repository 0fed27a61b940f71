package docket

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Every event is a link of one hash chain (docs/architecture.md, "The event chain"):
// it carries a sequence number, the hash of the event before it, and its own hash,
// computed from that previous hash and its content. Editing, deleting or reordering an
// event breaks the chain from that event on, which VerifyChain finds.
//
// The hash covers the snapshot through its digest only, so that a redaction can erase
// the snapshot (personal data) and keep the digest: the chain stays verifiable.

// ChainGenesis is the previous hash of the first event: 64 zeros.
var ChainGenesis = strings.Repeat("0", 64)

// ChainLink is an event with its place in the chain.
type ChainLink struct {
	Event
	// Seq numbers the chain's events from 1, without gaps.
	Seq int64
	// Digest is the SHA-256 (hex) of the snapshot's canonical JSON (CanonicalJSON) as
	// recorded. A redaction erases the snapshot and keeps the digest.
	Digest string
	// PrevHash is the hash of the event at Seq-1 (ChainGenesis for the first).
	PrevHash string
	// Hash is ChainHash of the link.
	Hash string
	// Erased reports that a redaction rewrote the snapshot after it was recorded: it no
	// longer matches Digest, and is not expected to.
	Erased bool
}

// ChainHash returns the hash of a link: the hex SHA-256 of its fields, each written as
// a netstring (the byte length in decimal, ":", the bytes, ","), in this order: the
// previous hash, the sequence number (decimal), the event id, name, object type,
// object id, actor type, actor id, time (TimeFormat, UTC) and snapshot digest. Length
// prefixes make the encoding unambiguous whatever the fields hold.
func ChainHash(l *ChainLink) string {
	buf := make([]byte, 0, 384)
	for _, f := range [...]string{l.PrevHash, strconv.FormatInt(l.Seq, 10), l.ID, l.Name, l.ObjectType, l.ObjectID,
		l.Actor.Type, l.Actor.ID, ChainTime(l.CreatedAt), l.Digest} {
		buf = strconv.AppendInt(buf, int64(len(f)), 10)
		buf = append(buf, ':')
		buf = append(buf, f...)
		buf = append(buf, ',')
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// ChainTime is how the chain writes a time: UTC, to the millisecond (TimeFormat).
func ChainTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// SnapshotDigest returns the hex SHA-256 of the snapshot's canonical JSON.
func SnapshotDigest(snapshot []byte) (string, error) {
	c, err := CanonicalJSON(snapshot)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// ChainHead is the chain's last link: its sequence number and hash, and when it was
// written. Kept somewhere else, a head is an anchor: it proves what the chain held then.
type ChainHead struct {
	Seq       int64
	Hash      string
	UpdatedAt time.Time
}

// Anchor is a head kept outside Docket, to check that the chain still holds it.
type Anchor struct {
	Seq  int64
	Hash string
}

// String writes the anchor as ParseAnchor reads it: "<seq>:<hash>".
func (a Anchor) String() string { return strconv.FormatInt(a.Seq, 10) + ":" + a.Hash }

// ParseAnchor reads "<seq>:<hash>" (as `docket audit anchor` prints it).
func ParseAnchor(s string) (Anchor, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 {
		return Anchor{}, Invalid("anchor", "an anchor is <sequence>:<hash>, the sequence a positive number")
	}
	hash = strings.ToLower(hash)
	if b, err := hex.DecodeString(hash); err != nil || len(b) != sha256.Size {
		return Anchor{}, Invalid("anchor", "an anchor's hash is 64 hexadecimal digits")
	}
	return Anchor{Seq: n, Hash: hash}, nil
}

// ChainFilter selects links of the chain, in sequence order.
type ChainFilter struct {
	// After and Through bound the sequence numbers: After < seq <= Through (Through 0:
	// no upper bound).
	After, Through int64
	// Limit caps the links returned.
	Limit int
	// Visibility and HiddenObjectTypes leave out events a reader may not see
	// (Principal.HiddenObjectTypes). The links kept still carry their hashes.
	Visibility        Visibility
	HiddenObjectTypes []string
}

// ChainService reads the chain. The store only reads rows; VerifyChain and ExportChain
// decide what they mean.
type ChainService interface {
	// ChainHead returns the chain's last link as recorded with it.
	ChainHead(ctx context.Context) (ChainHead, error)
	// ChainLinks returns links in sequence order, snapshots included.
	ChainLinks(ctx context.Context, f ChainFilter) ([]*ChainLink, error)
	// UnchainedEvent returns the id of an event row that has no place in the chain
	// ("" if none): after the chain was set up, every event has one.
	UnchainedEvent(ctx context.Context) (string, error)
}

// ExportChain calls emit with the links after f.After that f lets through, oldest
// first, a batch at a time so that memory stays bounded however long the chain, up to
// f.Through or, if that is 0, the head as it stands when the export begins.
func ExportChain(ctx context.Context, cs ChainService, f ChainFilter, batch int, emit func([]*ChainLink) error) error {
	if f.Through == 0 {
		head, err := cs.ChainHead(ctx)
		if err != nil {
			return err
		}
		f.Through = head.Seq
	}
	f.Limit = batch
	for f.After < f.Through {
		links, err := cs.ChainLinks(ctx, f)
		if err != nil {
			return err
		}
		if len(links) > 0 {
			if err := emit(links); err != nil {
				return err
			}
		}
		if len(links) < batch {
			return nil
		}
		f.After = links[len(links)-1].Seq
	}
	return nil
}
