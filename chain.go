package docket

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"slices"
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

// CanonicalJSON rewrites a JSON document in one form, so that its digest does not
// depend on how a database kept it (PostgreSQL's JSONB reorders keys, drops spaces and
// writes numbers its own way): object keys sorted by their bytes, no spaces, numbers as
// exact decimals without exponent or trailing zeros ("1.50" and "15e-1" are "1.5"),
// strings with only '"', '\' and control characters escaped (controls as \u00XX).
func CanonicalJSON(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("canonical JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("canonical JSON: data after the value")
	}
	var b bytes.Buffer
	b.Grow(len(doc))
	writeCanonical(&b, v)
	return b.Bytes(), nil
}

func writeCanonical(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case json.Number:
		b.WriteString(canonicalNumber(string(x)))
	case string:
		writeCanonicalString(b, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonicalString(b, k)
			b.WriteByte(':')
			writeCanonical(b, x[k])
		}
		b.WriteByte('}')
	}
}

func writeCanonicalString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[r>>4])
			b.WriteByte(hexDigits[r&0xf])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// canonicalNumber writes a JSON number literal as an exact decimal. Literals with an
// exponent beyond ±400 (no float64 needs one) are kept as they are rather than expanded.
func canonicalNumber(s string) string {
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if !hasExp {
		return trimDecimal(mant)
	}
	if e, err := strconv.Atoi(exp); err != nil || e > 400 || e < -400 {
		return s
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	if r.IsInt() {
		return r.Num().String()
	}
	// A decimal literal's denominator is 2^a·5^b: max(a, b) digits write it exactly.
	d := new(big.Int).Set(r.Denom())
	twos := d.TrailingZeroBits()
	d.Rsh(d, twos)
	fives, five, m := uint(0), big.NewInt(5), new(big.Int)
	for d.Cmp(big.NewInt(1)) > 0 {
		q, rem := new(big.Int).QuoRem(d, five, m)
		if rem.Sign() != 0 {
			return s
		}
		d, fives = q, fives+1
	}
	return trimDecimal(r.FloatString(int(max(twos, fives))))
}

// trimDecimal drops a plain decimal's trailing fractional zeros and the sign of zero.
func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
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
