package store

import (
	"context"
	"fmt"
	"time"

	"github.com/docket-hq/docket"
)

// ExpireSLAs records the breach of every unresolved case whose SLA deadline passed before
// now, up to limit: it writes case.sla-expired (which notifies the assignee) exactly once
// per breach. Rows another process is handling are skipped (SKIP LOCKED), and the
// sla_breached_at guard keeps a breach from being recorded twice.
func (s *Store) ExpireSLAs(ctx context.Context, now time.Time, limit int) (int, error) {
	skip := s.skipLocked()
	actor := docket.Actor{Type: docket.ActorSystem, ID: "sla"}
	n := 0
	err := s.write(ctx, func(tx *Tx) error {
		cases, err := queryAll(ctx, tx.reader(), `SELECT `+caseCols+` FROM cases c WHERE c.sla_breached_at IS NULL
			AND c.resolved_at IS NULL AND c.redacted_at IS NULL AND c.sla_expires_at <= ?
			ORDER BY c.sla_expires_at LIMIT `+fmt.Sprint(limit)+skip, []any{ms(now)}, scanCase)
		if err != nil {
			return fmt.Errorf("find breached SLAs: %w", err)
		}
		if err := loadCaseRelations(ctx, tx.reader(), cases); err != nil {
			return err
		}
		var events []*docket.Event
		for _, c := range cases {
			res, err := tx.exec(ctx, `UPDATE cases SET sla_breached_at = ? WHERE id = ? AND sla_breached_at IS NULL`, ms(tx.now), c.ID)
			if err != nil {
				return fmt.Errorf("record SLA breach of %s: %w", c.ID, err)
			}
			if k, _ := res.RowsAffected(); k == 1 {
				events = append(events, newEvent(tx, actor, docket.EventCaseSLAExpired, "case", c.ID, c))
			}
		}
		n = len(events)
		return recordEvents(ctx, tx, events)
	})
	return n, err
}
