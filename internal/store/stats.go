package store

import (
	"context"
	"fmt"
)

// CountCases counts every case in the database.
func (s *Store) CountCases(ctx context.Context, n *int64) error {
	if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(n); err != nil {
		return fmt.Errorf("count cases: %w", err)
	}
	return nil
}
