package docket

import (
	"context"
	"strings"
	"time"
)

// Watch list formats that Docket imports.
const (
	// WatchlistOFAC is the US Treasury's SDN list in its published CSV layout: SDN.CSV
	// (one row an entry), ALT.CSV (aliases) and ADD.CSV (addresses).
	WatchlistOFAC = "ofac-sdn"
	// WatchlistCSV is Docket's simple layout for other lists: a header row with id,
	// name, aliases, birth-dates, countries, type, programs (lists separated by ";").
	WatchlistCSV = "csv"
	// WatchlistJSON is the same as a JSON array of WatchlistEntry objects.
	WatchlistJSON = "json"
)

// WatchlistFormats lists the import formats, for messages.
var WatchlistFormats = []string{WatchlistOFAC, WatchlistCSV, WatchlistJSON}

// Watchlist is a sanctions or watch list that reports screen against. Importing replaces
// its entries as a whole (lists are published as full files) and bumps Version, which
// tells screeners that their index of it is stale.
type Watchlist struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Format     string    `json:"format"`
	EntryCount int       `json:"entry-count"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created-at"`
	UpdatedAt  time.Time `json:"updated-at"`
}

// MaxWatchlistName bounds a list's name.
const MaxWatchlistName = 200

// Validate checks a new or renamed list.
func (l *Watchlist) Validate() error {
	l.Name = strings.TrimSpace(l.Name)
	if l.Name == "" {
		return Invalid("name", "name is required")
	}
	if len(l.Name) > MaxWatchlistName {
		return Invalid("name", "name is longer than %d characters", MaxWatchlistName)
	}
	if !contains(WatchlistFormats, l.Format) {
		return Invalid("format", "format must be one of %s", strings.Join(WatchlistFormats, ", "))
	}
	return nil
}

// WatchlistEntry is one listed person, organisation, vessel or aircraft. UID is the
// list's own id for it (the SDN's ent_num), stable across the list's versions.
type WatchlistEntry struct {
	UID        string   `json:"id"`
	Name       string   `json:"name"`
	Type       string   `json:"type,omitempty"`
	Aliases    []string `json:"aliases,omitempty"`
	BirthDates []string `json:"birth-dates,omitempty"`
	Countries  []string `json:"countries,omitempty"`
	Programs   []string `json:"programs,omitempty"`
	Remarks    string   `json:"remarks,omitempty"`
}

// Report template defaults.
const (
	PrefixReportTemplate = "rptp"
	PrefixWatchlist      = "wl"
	// DefaultMatchThreshold is the score (0..1) at or above which a candidate is a
	// match when a template sets none; docs/benchmarks.md shows its precision and recall.
	DefaultMatchThreshold = 0.88
)

// ReportTemplate says how a report is run: which lists it screens against (all, when
// ListIDs is empty) and the score a candidate needs to be a match.
type ReportTemplate struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Type      string    `json:"report-type"`
	Threshold float64   `json:"threshold"`
	ListIDs   []string  `json:"watchlist-ids"`
	CreatedAt time.Time `json:"created-at"`
	UpdatedAt time.Time `json:"updated-at"`
}

// Validate checks a template before it is stored.
func (t *ReportTemplate) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return Invalid("name", "name is required")
	}
	if t.Type == "" {
		t.Type = "report/watchlist"
	}
	if !ValidReportType(t.Type) {
		return Invalid("report-type", "unknown report type %q (one of %s)", t.Type, ReportTypeList())
	}
	if t.Threshold == 0 {
		t.Threshold = DefaultMatchThreshold
	}
	if t.Threshold < 0.5 || t.Threshold > 1 {
		return Invalid("threshold", "threshold must be between 0.5 and 1")
	}
	if t.ListIDs == nil {
		t.ListIDs = []string{}
	}
	for _, id := range t.ListIDs {
		if !ValidID(PrefixWatchlist, id) {
			return Invalid("watchlist-ids", "%q is not a watch list id", id)
		}
	}
	return nil
}

// ReportTemplateUpdate holds what a PATCH may change.
type ReportTemplateUpdate struct {
	Name      *string
	Threshold *float64
	ListIDs   *[]string
}

// ScreeningQuery is who a report screens: the hosted API's query (name parts or a
// term, a birth date, a country).
type ScreeningQuery struct {
	NameFirst  string `json:"name-first,omitempty"`
	NameMiddle string `json:"name-middle,omitempty"`
	NameLast   string `json:"name-last,omitempty"`
	Term       string `json:"term,omitempty"`
	Birthdate  string `json:"birthdate,omitempty"`
	Country    string `json:"country-code,omitempty"`
}

// FullName is the term, or the name parts joined.
func (q ScreeningQuery) FullName() string {
	if strings.TrimSpace(q.Term) != "" {
		return strings.TrimSpace(q.Term)
	}
	return strings.Join(strings.Fields(q.NameFirst+" "+q.NameMiddle+" "+q.NameLast), " ")
}

// Validate checks that there is a name to screen and that the birth date and country
// are well formed.
func (q ScreeningQuery) Validate() error {
	if q.FullName() == "" {
		return Invalid("query", "query needs name-first, name-middle, name-last or term")
	}
	if q.Birthdate != "" {
		if _, err := time.Parse("2006-01-02", q.Birthdate); err != nil {
			return Invalid("query.birthdate", "birthdate must be YYYY-MM-DD")
		}
	}
	if q.Country != "" && (len(q.Country) != 2 || strings.ToUpper(q.Country) != q.Country) {
		return Invalid("query.country-code", "country-code must be an ISO 3166-1 alpha-2 code such as US")
	}
	return nil
}

// ScreeningMatch is one list entry a query matched, with its score.
type ScreeningMatch struct {
	ListID      string         `json:"watchlist-id"`
	ListName    string         `json:"watchlist-name"`
	Entry       WatchlistEntry `json:"entry"`
	MatchedName string         `json:"matched-name"`
	Score       float64        `json:"score"`
}

// WatchlistService manages watch lists and report templates.
type WatchlistService interface {
	CreateWatchlist(ctx context.Context, l *Watchlist) error
	FindWatchlist(ctx context.Context, id string) (*Watchlist, error)
	ListWatchlists(ctx context.Context) ([]*Watchlist, error)
	// ImportWatchlist replaces the list's entries and queues the re-screening of the
	// accounts screened before; progress, if set, is told how many are written.
	ImportWatchlist(ctx context.Context, id string, entries []WatchlistEntry, progress func(done, total int)) (*Watchlist, error)
	WatchlistEntries(ctx context.Context, id string) ([]WatchlistEntry, error)

	CreateReportTemplate(ctx context.Context, t *ReportTemplate) error
	FindReportTemplate(ctx context.Context, id string) (*ReportTemplate, error)
	ListReportTemplates(ctx context.Context) ([]*ReportTemplate, error)
	UpdateReportTemplate(ctx context.Context, id string, u ReportTemplateUpdate) (*ReportTemplate, error)
}
