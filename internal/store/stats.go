package store

import (
	"context"
	"fmt"
)

// CountAllCases returns how many cases the database holds.
func (s *Store) CountAllCases(ctx context.Context) (int, error) {
	var n int
	if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM cases`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}
