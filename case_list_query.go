package docket

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// This file holds the one vocabulary of a case list's filters: the API's GET /cases, the
// dashboard's case list (whose URL carries the same parameters, so that a view can be
// shared) and saved views all read them with ParseCaseFilter.

// Case list orders (the sort parameter).
const (
	// CaseSortNewest lists the newest cases first (the default).
	CaseSortNewest = "-created-at"
	// CaseSortSLA lists the most urgent first: earliest SLA expiry first, cases without
	// an SLA after every case with one, and, among equals, the oldest first.
	CaseSortSLA = "sla-expires-at"
)

// AssigneeMe is the assignee filter's word for the user asking; QueueUnassigned
// ("unassigned") selects the cases nobody holds.
const AssigneeMe = "me"

// MaxCaseQueryLength bounds the search box's text.
const MaxCaseQueryLength = 200

// CaseListParams lists the parameters of a case list's filters and order, in the order
// a canonical query (CanonicalCaseListQuery) gives them. Paging parameters are not among
// them: a saved or shared view starts on its first page.
var CaseListParams = []string{
	"filter[q]", "filter[status]", "filter[case-template-id]", "filter[assignee-id]", "filter[case-queue-id]",
	"filter[tag]", "filter[sla]", "filter[created-at-start]", "filter[created-at-end]",
	"filter[account-id]", "filter[inquiry-id]", "filter[transaction-id]", "filter[report-id]", "filter[reference-id]",
	"sort",
}

// ParseCaseFilter reads a case list's filters and order. get returns a parameter's value
// by its name in CaseListParams ("" when absent); me is the id of the user asking, or ""
// when no user asks (an API key that belongs to nobody), which makes assignee "me" an
// error. A malformed value is a bad-request error naming its parameter.
//
// filter[assignee-id] takes a user id, "me" or "unassigned"; filter[sla] "breached",
// "due" or "none"; filter[created-at-start] and filter[created-at-end] an RFC 3339 time
// or a date (2026-01-02, a whole UTC day: the end is inclusive); filter[q] the search
// box's text, which matches a case by exact name (KYC-12, in any letter case), by id, by
// the reference id of its end user, or by its words (free text: docket.SearchWords), and
// without a sort lists them best match first.
func ParseCaseFilter(get func(param string) string, me string) (CaseFilter, error) {
	return parseCaseFilter(get, me, true)
}

// parseCaseFilter is ParseCaseFilter; resolveMe false accepts assignee "me" without
// resolving it, to check a query that someone else may run later.
func parseCaseFilter(get func(param string) string, me string, resolveMe bool) (CaseFilter, error) {
	var f CaseFilter
	f.Status, f.ReferenceID, f.Tag = get("filter[status]"), get("filter[reference-id]"), get("filter[tag]")
	for _, idf := range []struct {
		name, prefix string
		dst          *string
	}{
		{"case-template-id", PrefixTemplate, &f.TemplateID},
		{"case-queue-id", PrefixQueue, &f.QueueID},
		{"account-id", PrefixAccount, &f.AccountID},
		{"inquiry-id", PrefixInquiry, &f.InquiryID},
		{"transaction-id", PrefixTransaction, &f.TransactionID},
		{"report-id", PrefixReport, &f.ReportID},
	} {
		param := "filter[" + idf.name + "]"
		v := get(param)
		if v != "" && !ValidID(idf.prefix, v) {
			return f, badParam(param, "%s must be an id starting with %s_", param, idf.prefix)
		}
		*idf.dst = v
	}
	if err := parseAssignee(&f, get("filter[assignee-id]"), me, resolveMe); err != nil {
		return f, err
	}
	switch f.SLA = get("filter[sla]"); f.SLA {
	case "", QueueSLABreached, QueueSLADue, QueueSLANone:
	default:
		return f, badParam("filter[sla]", "filter[sla] must be breached, due or none")
	}
	var err error
	if f.CreatedAtStart, err = parseListTime(get, "filter[created-at-start]", false); err != nil {
		return f, err
	}
	if f.CreatedAtEnd, err = parseListTime(get, "filter[created-at-end]", true); err != nil {
		return f, err
	}
	if f.Query = strings.TrimSpace(get("filter[q]")); len(f.Query) > MaxCaseQueryLength {
		return f, badParam("filter[q]", "filter[q] must be at most %d characters", MaxCaseQueryLength)
	}
	switch f.Sort = get("sort"); f.Sort {
	case "", CaseSortNewest, CaseSortSLA:
	default:
		return f, badParam("sort", "sort must be %s (newest first) or %s (SLA then age)", CaseSortNewest, CaseSortSLA)
	}
	return f, nil
}

func parseAssignee(f *CaseFilter, v, me string, resolveMe bool) error {
	const param = "filter[assignee-id]"
	switch {
	case v == "":
	case v == QueueUnassigned:
		f.Unassigned = true
	case v == AssigneeMe && !resolveMe:
	case v == AssigneeMe:
		if me == "" {
			return badParam(param, "%s=me needs a user: this API key belongs to no user", param)
		}
		f.AssigneeID = me
	case ValidID(PrefixUser, v):
		f.AssigneeID = v
	default:
		return badParam(param, "%s must be an id starting with %s_, me or unassigned", param, PrefixUser)
	}
	return nil
}

// parseListTime reads an RFC 3339 time or a date. A date starts at midnight UTC; as the
// end of a range (end true) it means the whole day, so its last millisecond.
func parseListTime(get func(string) string, param string, end bool) (*time.Time, error) {
	v := get(param)
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return &t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, badParam(param, "%s must be an RFC 3339 time like 2026-01-02T15:04:05Z or a date like 2026-01-02", param)
	}
	if end {
		t = t.AddDate(0, 0, 1).Add(-time.Millisecond)
	}
	return &t, nil
}

func badParam(param, format string, args ...any) *Error {
	e := Errorf(EBadRequest, format, args...)
	e.Parameter = param
	return e
}

// CanonicalCaseListQuery returns the case list parameters of q with a value, in the
// order of CaseListParams, as a query string: what a saved view keeps and what links
// carry, so that equal views have equal queries.
func CanonicalCaseListQuery(q url.Values) string {
	var b strings.Builder
	for _, p := range CaseListParams {
		v := strings.TrimSpace(q.Get(p))
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		// Brackets stay readable: they are legal in a query, and browsers send them as is.
		b.WriteString(strings.NewReplacer("%5B", "[", "%5D", "]").Replace(url.QueryEscape(p)))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// NormalizeCaseListQuery checks a case list query for a saved view and returns its
// canonical form. Every parameter must be one of CaseListParams, given once, with a
// valid value; "me" stays "me", so that a shared view shows each reader their own cases.
// field names the query in errors.
func NormalizeCaseListQuery(raw, field string) (string, error) {
	raw = strings.TrimPrefix(strings.TrimSpace(raw), "?")
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "", Invalid(field, "%s is not a URL query string: %v", field, err)
	}
	for name, vs := range q {
		if !contains(CaseListParams, name) {
			return "", Invalid(field, "%s holds %q, which is not a case list filter (one of %s)", field, name, strings.Join(CaseListParams, ", "))
		}
		if len(vs) > 1 {
			return "", Invalid(field, "%s gives %s %s times", field, name, strconv.Itoa(len(vs)))
		}
	}
	if _, err := parseCaseFilter(q.Get, "", false); err != nil {
		_, msg := ErrorField(err)
		return "", Invalid(field, "%s", msg)
	}
	return CanonicalCaseListQuery(q), nil
}

// ParseCaseName reads a case name ("KYC-12", in any letter case, as a template key, a
// dash and a case number) into the template key and the number. It reports false for
// text that cannot be a case name.
func ParseCaseName(s string) (key string, number int64, ok bool) {
	key, num, found := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "-")
	if !found || !templateKeyRe.MatchString(key) || num == "" || num[0] == '0' || num[0] == '+' {
		return "", 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return key, n, true
}
