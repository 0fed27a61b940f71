package docket

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// CanonicalJSON rewrites a JSON document in one form, so that its digest does not
// depend on how a database kept it (PostgreSQL's JSONB reorders keys, drops spaces and
// writes numbers its own way): object keys sorted by their bytes (a repeated key keeps
// its last value, as JSONB does), no spaces, numbers as exact decimals without exponent
// or trailing zeros ("1.50" and "15e-1" are "1.5"), strings with only '"', '\' and
// control characters escaped (controls as \u00XX), invalid UTF-8 as U+FFFD.
//
// It is written as one pass over the bytes, because every event's snapshot goes
// through it inside the transaction that records it: decoding into maps cost four
// times as much.
func CanonicalJSON(doc []byte) ([]byte, error) {
	p := &canonParser{in: doc}
	out, err := p.value(make([]byte, 0, len(doc)), 0)
	if err != nil {
		return nil, fmt.Errorf("canonical JSON: %w", err)
	}
	if p.skipSpace(); p.i != len(p.in) {
		return nil, fmt.Errorf("canonical JSON: data after the value at offset %d", p.i)
	}
	return out, nil
}

// maxCanonDepth bounds nesting, as encoding/json does, so that a hostile document
// cannot exhaust the stack.
const maxCanonDepth = 10000

var errCanonSyntax = errors.New("invalid JSON")

type canonParser struct {
	in []byte
	i  int
	// keys holds the object keys that had escapes, decoded.
	keys []byte
}

func (p *canonParser) skipSpace() {
	for p.i < len(p.in) {
		switch p.in[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value appends the canonical form of the value at p.i to out.
func (p *canonParser) value(out []byte, depth int) ([]byte, error) {
	if depth > maxCanonDepth {
		return nil, errors.New("nested too deeply")
	}
	p.skipSpace()
	if p.i >= len(p.in) {
		return nil, errCanonSyntax
	}
	switch c := p.in[p.i]; {
	case c == '{':
		return p.object(out, depth)
	case c == '[':
		return p.array(out, depth)
	case c == '"':
		raw, plain, err := p.str()
		if err != nil {
			return nil, err
		}
		if plain {
			return append(append(append(out, '"'), raw...), '"'), nil
		}
		s, err := unescape(raw)
		return appendCanonString(out, s), err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(out)
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(p.in[p.i:], []byte(lit)) {
			p.i += len(lit)
			return append(out, lit...), nil
		}
	}
	return nil, fmt.Errorf("%w at offset %d", errCanonSyntax, p.i)
}

func (p *canonParser) array(out []byte, depth int) ([]byte, error) {
	p.i++
	out = append(out, '[')
	p.skipSpace()
	if p.i < len(p.in) && p.in[p.i] == ']' {
		p.i++
		return append(out, ']'), nil
	}
	for n := 0; ; n++ {
		if n > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = p.value(out, depth+1); err != nil {
			return nil, err
		}
		if done, err := p.next(']'); err != nil || done {
			return append(out, ']'), err
		}
	}
}

// next consumes a ',' (false) or the closing byte (true).
func (p *canonParser) next(closing byte) (bool, error) {
	p.skipSpace()
	if p.i < len(p.in) {
		switch p.in[p.i] {
		case ',':
			p.i++
			return false, nil
		case closing:
			p.i++
			return true, nil
		}
	}
	return false, fmt.Errorf("%w at offset %d", errCanonSyntax, p.i)
}

// canonMember is one member of an object: where its key lies (in the input, or in the
// parser's keys buffer when it had to be decoded) and where its canonical value lies in
// the object's scratch buffer. Offsets rather than slices keep the sort free of pointers.
type canonMember struct {
	ks, ke, vs, ve int
	decoded        bool
}

func (p *canonParser) key(m canonMember) []byte {
	if m.decoded {
		return p.keys[m.ks:m.ke]
	}
	return p.in[m.ks:m.ke]
}

func (p *canonParser) object(out []byte, depth int) ([]byte, error) {
	p.i++
	p.skipSpace()
	if p.i < len(p.in) && p.in[p.i] == '}' {
		p.i++
		return append(out, '{', '}'), nil
	}
	members := make([]canonMember, 0, 16)
	var vals []byte
	for {
		p.skipSpace()
		if p.i >= len(p.in) || p.in[p.i] != '"' {
			return nil, fmt.Errorf("%w at offset %d", errCanonSyntax, p.i)
		}
		m, err := p.memberKey()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i >= len(p.in) || p.in[p.i] != ':' {
			return nil, fmt.Errorf("%w at offset %d", errCanonSyntax, p.i)
		}
		p.i++
		m.vs = len(vals)
		if vals, err = p.value(vals, depth+1); err != nil {
			return nil, err
		}
		m.ve = len(vals)
		members = append(members, m)
		if done, err := p.next('}'); err != nil {
			return nil, err
		} else if done {
			break
		}
	}
	// Ties keep their order (the value start grows with it), so that of repeated keys
	// the last one written comes last and is kept.
	slices.SortFunc(members, func(a, b canonMember) int {
		if c := bytes.Compare(p.key(a), p.key(b)); c != 0 {
			return c
		}
		return a.vs - b.vs
	})
	out = append(out, '{')
	first := true
	for i, m := range members {
		if i+1 < len(members) && bytes.Equal(p.key(members[i+1]), p.key(m)) {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		if m.decoded {
			out = appendCanonString(out, string(p.key(m)))
		} else {
			out = append(append(append(out, '"'), p.key(m)...), '"')
		}
		out = append(out, ':')
		out = append(out, vals[m.vs:m.ve]...)
	}
	return append(out, '}'), nil
}

// memberKey reads an object key.
func (p *canonParser) memberKey() (canonMember, error) {
	start := p.i + 1
	raw, plain, err := p.str()
	if err != nil {
		return canonMember{}, err
	}
	if plain {
		return canonMember{ks: start, ke: start + len(raw)}, nil
	}
	k, err := unescape(raw)
	if err != nil {
		return canonMember{}, err
	}
	ks := len(p.keys)
	p.keys = append(p.keys, k...)
	return canonMember{ks: ks, ke: len(p.keys), decoded: true}, nil
}

// str reads a string token and returns its bytes between the quotes; plain means
// they need no decoding (no escapes, valid UTF-8), so they are the string's value and,
// quoted, its canonical form.
func (p *canonParser) str() (raw []byte, plain bool, err error) {
	p.i++ // the opening quote
	start := p.i
	plain = true
	for p.i < len(p.in) {
		switch c := p.in[p.i]; {
		case c == '"':
			raw = p.in[start:p.i]
			p.i++
			return raw, plain && utf8.Valid(raw), nil
		case c == '\\':
			plain = false
			p.i += 2
		case c < 0x20:
			return nil, false, fmt.Errorf("%w: control character in a string at offset %d", errCanonSyntax, p.i)
		default:
			p.i++
		}
	}
	return nil, false, fmt.Errorf("%w: unterminated string", errCanonSyntax)
}

// unescape decodes a string's escapes as encoding/json does (a lone surrogate and
// invalid UTF-8 become U+FFFD).
func unescape(raw []byte) (string, error) {
	var b strings.Builder
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			r, n := utf8.DecodeRune(raw[i:])
			b.WriteRune(r)
			i += n
			continue
		}
		if i+1 >= len(raw) {
			return "", errCanonSyntax
		}
		switch e := raw[i+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n, err := unicodeEscape(raw[i:])
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
			i += n
			continue
		default:
			return "", fmt.Errorf("%w: bad escape \\%c", errCanonSyntax, e)
		}
		i += 2
	}
	return b.String(), nil
}

// unicodeEscape decodes \uXXXX, with the low half of a surrogate pair when it follows,
// and returns the rune and the bytes consumed.
func unicodeEscape(s []byte) (rune, int, error) {
	r, ok := hex4(s)
	if !ok {
		return 0, 0, fmt.Errorf("%w: bad \\u escape", errCanonSyntax)
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex4(s[6:]); ok && len(s) >= 12 && s[6] == '\\' {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 12, nil
			}
		}
		return utf8.RuneError, 6, nil
	}
	return r, 6, nil
}

// hex4 reads the four hex digits of a \u escape at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s[2:6]), 16, 32)
	return rune(v), err == nil
}

func appendCanonString(out []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	out = append(out, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				out = append(out, '\\', c)
			case c < 0x20:
				out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				out = append(out, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		out = utf8.AppendRune(out, r)
		i += n
	}
	return append(out, '"')
}

// number reads a number token (checked against JSON's grammar) and appends its
// canonical form.
func (p *canonParser) number(out []byte) ([]byte, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.in) && p.in[p.i] >= '0' && p.in[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.in[p.i] == '-' {
		p.i++
	}
	intStart := p.i
	if n := digits(); n == 0 || (n > 1 && p.in[intStart] == '0') {
		return nil, fmt.Errorf("%w: bad number at offset %d", errCanonSyntax, start)
	}
	if p.i < len(p.in) && p.in[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, fmt.Errorf("%w: bad number at offset %d", errCanonSyntax, start)
		}
	}
	if p.i < len(p.in) && (p.in[p.i] == 'e' || p.in[p.i] == 'E') {
		p.i++
		if p.i < len(p.in) && (p.in[p.i] == '+' || p.in[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, fmt.Errorf("%w: bad number at offset %d", errCanonSyntax, start)
		}
	}
	lit := p.in[start:p.i]
	if !bytes.ContainsAny(lit, ".eE") {
		if len(lit) == 2 && lit[0] == '-' && lit[1] == '0' {
			return append(out, '0'), nil
		}
		return append(out, lit...), nil // an integer is canonical as it is
	}
	return append(out, canonicalNumber(string(lit))...), nil
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
