package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// A placement says where a request to one endpoint carries the inputs that the domain
// names by field path (docket.Error.Field). The domain does not know that an endpoint
// takes object-ids in meta rather than in data.attributes; this is where the API says so.
type placement struct {
	// at maps a top-level name of a field path to the JSON pointer of that input in the
	// request. A name it does not list lives under /data/attributes.
	at map[string]string
	// flat names a domain object whose keys the endpoint also takes as top-level
	// attributes, as POST /cases takes a template's fields; an error about such a key
	// points where the client put it. own lists the endpoint's own attributes, which
	// are never keys of that object.
	flat string
	own  []string
}

// caseAttributes are the attributes of POST /cases that are not template fields.
var caseAttributes = []string{"case-template-id", "fields", "tags", "creator-email-address", "case-queue-id"}

// placements lists, by route pattern, the endpoints whose inputs do not all live under
// /data/attributes.
var placements = map[string]placement{
	"POST /api/v1/cases":                         {at: inMeta("object-ids", "sla-expires-in-seconds"), flat: "fields", own: caseAttributes},
	"PATCH /api/v1/cases/{id}":                   {at: inMeta("sla-expires-in-seconds")},
	"POST /api/v1/cases/{id}/set-status":         {at: inMeta("status", "comment")},
	"POST /api/v1/cases/{id}/confirm-status":     {at: inMeta("status", "comment")},
	"POST /api/v1/cases/{id}/reject-status":      {at: inMeta("status", "comment")},
	"POST /api/v1/cases/{id}/assign":             {at: inMeta("user-email-address")},
	"POST /api/v1/cases/{id}/add-objects":        {at: inMeta("object-ids")},
	"POST /api/v1/cases/{id}/remove-objects":     {at: inMeta("object-ids")},
	"POST /api/v1/cases/{id}/add-tag":            {at: caseTagsAt},
	"POST /api/v1/cases/{id}/remove-tag":         {at: caseTagsAt},
	"POST /api/v1/cases/{id}/set-tags":           {at: caseTagsAt},
	"POST /api/v1/cases/{id}/comments":           {at: inMeta("body")},
	"POST /api/v1/cases/{id}/actions/{workflow}": {at: inMeta("input")},
	"POST /api/v1/cases/search":                  {at: map[string]string{"query": "/query", "page": "/page"}},
	"POST /api/v1/case-queues/{id}/claim":        {at: inMeta("user-email-address")},
	"POST /api/v1/workflows/{id}/trigger":        {at: inMeta("input")},
	"POST /api/v1/sars/{id}/file":                {at: inMeta("bsa-id")},
	"POST /api/v1/cases/{id}/prepare-sar":        {at: inMeta("case-template-id")},
	"POST /api/v1/watchlists/{id}/import":        {at: inMeta("sdn", "alt", "add", "entries")},
}

// caseTagsAt places the tags of add-tag, remove-tag and set-tags, which a request gives
// as meta.tag-name (or meta.tag-names).
var caseTagsAt = map[string]string{"tags": "/meta/tag-name"}

func init() {
	// Every inquiry action takes an optional meta.comment.
	for action := range docket.InquiryTransitions {
		placements["POST /api/v1/inquiries/{id}/"+action] = placement{at: inMeta("comment")}
	}
}

// inMeta places each name under /meta.
func inMeta(names ...string) map[string]string {
	at := make(map[string]string, len(names))
	for _, n := range names {
		at[n] = "/meta/" + n
	}
	return at
}

// fieldPointer returns the JSON pointer of the input that field names in request r, or
// "" if field is not a field path.
func fieldPointer(r *http.Request, field string) string {
	if field == "" {
		return ""
	}
	p := placements[r.Pattern]
	var attrs obj
	if p.flat != "" {
		if b, err := readBody(r); err == nil {
			attrs = b.attrs
		}
	}
	return p.pointer(field, attrs)
}

// pointer maps field to a JSON pointer; attrs is the request's data.attributes, which
// only a flat placement needs.
func (p placement) pointer(field string, attrs obj) string {
	segs, ok := docket.FieldSegments(field)
	if !ok {
		return ""
	}
	ptr := "/data/attributes"
	switch at, ok := p.at[segs[0]]; {
	case p.flattened(segs, attrs):
		segs = segs[1:]
	case ok:
		ptr, segs = at, segs[1:]
	}
	var b strings.Builder
	b.WriteString(ptr)
	for _, s := range segs {
		b.WriteString("/" + pointerEscaper.Replace(s))
	}
	return b.String()
}

// flattened reports whether segs names a key of the flat object that the request gave
// as a top-level attribute.
func (p placement) flattened(segs []string, attrs obj) bool {
	if p.flat == "" || len(segs) < 2 || segs[0] != p.flat {
		return false
	}
	_, top := attrs[segs[1]]
	return top && !slices.Contains(p.own, segs[1])
}
