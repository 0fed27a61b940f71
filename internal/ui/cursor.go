package ui

import "github.com/docket-hq/docket"

// cursors returns the ?after= and ?before= cursors of the pages beside a page of items
// ("" where there is none), from the page's first and last ids.
func cursors[T any](items []T, id func(T) string, pr docket.PageResult) (after, before string) {
	if len(items) == 0 {
		return "", ""
	}
	if pr.HasNext {
		after = id(items[len(items)-1])
	}
	if pr.HasPrev {
		before = id(items[0])
	}
	return after, before
}
