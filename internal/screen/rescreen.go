package screen

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// RescreenStore is what re-screening reads and writes.
type RescreenStore interface {
	Source
	FindWatchlist(ctx context.Context, id string) (*docket.Watchlist, error)
	ScreenedAccounts(ctx context.Context, after string, limit int) ([]string, error)
	LatestScreening(ctx context.Context, accountID string) (*docket.Report, error)
	FindAccount(ctx context.Context, id string) (*docket.Account, error)
	FindReportTemplate(ctx context.Context, id string) (*docket.ReportTemplate, error)
	CreateReport(ctx context.Context, actor docket.Actor, n docket.NewReport) (*docket.Report, error)
}

// Rescreener works the watchlist_rescreen job: after an import, every account screened
// before (with a template that covers the list) is screened again with its template,
// and gets a new report when its matches changed, so that report.matched tells the
// reviewers and workflows of a newly listed customer.
type Rescreener struct {
	river.WorkerDefaults[jobs.WatchlistRescreen]
	store    RescreenStore
	screener *Screener
	log      *slog.Logger
}

// NewRescreener returns the worker.
func NewRescreener(s RescreenStore, log *slog.Logger) *Rescreener {
	return &Rescreener{store: s, screener: NewScreener(s), log: log}
}

// rescreenPage is the accounts read at a time.
const rescreenPage = 200

// Work re-screens. A job retried after a failure starts again from the first account:
// accounts already re-screened then find their matches unchanged and get no new report.
func (w *Rescreener) Work(ctx context.Context, job *river.Job[jobs.WatchlistRescreen]) error {
	l, err := w.store.FindWatchlist(ctx, job.Args.ListID)
	if err != nil {
		return err
	}
	if l.Version != job.Args.Version {
		return nil // a newer import queued its own job
	}
	var after string
	n, reports := 0, 0
	for {
		ids, err := w.store.ScreenedAccounts(ctx, after, rescreenPage)
		if err != nil {
			return err
		}
		for _, id := range ids {
			made, err := w.account(ctx, l, id)
			if err != nil {
				return fmt.Errorf("re-screen account %s: %w", id, err)
			}
			n++
			if made {
				reports++
			}
		}
		if len(ids) < rescreenPage {
			break
		}
		after = ids[len(ids)-1]
	}
	w.log.Info("watch list re-screened", "watchlist_id", l.ID, "version", l.Version, "accounts", n, "new_reports", reports)
	return nil
}

// account re-screens one account and reports whether it made a report.
func (w *Rescreener) account(ctx context.Context, l *docket.Watchlist, id string) (bool, error) {
	a, err := w.store.FindAccount(ctx, id)
	if err != nil || a.RedactedAt != nil {
		return false, ignoreNotFound(err)
	}
	prev, err := w.store.LatestScreening(ctx, id)
	if err != nil || prev.TemplateID == nil || prev.RedactedAt != nil {
		return false, ignoreNotFound(err)
	}
	t, err := w.store.FindReportTemplate(ctx, *prev.TemplateID)
	if err != nil {
		return false, err
	}
	if len(t.ListIDs) > 0 && !slices.Contains(t.ListIDs, l.ID) {
		return false, nil
	}
	q := AccountQuery(a)
	if q.FullName() == "" || q.Validate() != nil {
		return false, nil
	}
	n, err := w.screener.Report(ctx, t, q, docket.NewReport{AccountID: &a.ID, Tags: []string{"re-screening"}})
	if err != nil {
		return false, err
	}
	keys, _ := n.Result["match-keys"].([]any)
	now := make([]string, len(keys))
	for i, k := range keys {
		now[i], _ = k.(string)
	}
	slices.Sort(now)
	if slices.Equal(now, matchKeys(prev)) {
		return false, nil
	}
	_, err = w.store.CreateReport(ctx, docket.Actor{Type: docket.ActorSystem, ID: "screening"}, n)
	return err == nil, err
}

func ignoreNotFound(err error) error {
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil
	}
	return err
}
