package analytics

import (
	"slices"
	"time"
)

// Stats describes a set of durations. Percentiles are nearest-rank: the p-th percentile
// of n sorted values is the value at rank ceil(p/100 × n), so that every figure is one of
// the durations measured and a hand count gives the same answer.
type Stats struct {
	Count               int
	P50, P75, P95, Mean time.Duration
}

// stats computes Stats of ds (sorted in place).
func stats(ds []time.Duration) Stats {
	if len(ds) == 0 {
		return Stats{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Stats{Count: len(ds), P50: rank(ds, 50), P75: rank(ds, 75), P95: rank(ds, 95),
		Mean: (sum / time.Duration(len(ds))).Truncate(time.Millisecond)}
}

// rank returns the nearest-rank p-th percentile of sorted ds.
func rank(ds []time.Duration, p int) time.Duration {
	k := (p*len(ds) + 99) / 100 // ceil(p × n / 100)
	return ds[max(k, 1)-1]
}

// share returns part/whole, or nil when whole is 0 (no share to speak of).
func share(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	v := float64(part) / float64(whole)
	return &v
}
