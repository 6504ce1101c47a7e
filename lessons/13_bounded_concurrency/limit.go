package boundedconcurrency

import (
	"context"
	"errors"
)

// ErrLimit is what ForEach returns, at once and without calling query,
// when its limit is less than 1: a limit of 0 would admit no call at all
// and wait forever.
var ErrLimit = errors.New("boundedconcurrency: the limit must be at least 1")

// ForEach calls query(ctx, i) for every i from 0 to n-1, each call in a
// goroutine of its own, with at most limit calls running at any moment.
// With n = 0 it calls nothing and returns nil.
//
// The limit is a sliding window, not a series of batches: as soon as one
// call returns, the next one starts, so limit calls run for as long as
// there are calls left to start. ForEach starts a call's goroutine only
// once a slot is free, so however large n is, it never has more than limit
// goroutines of calls at once.
//
// The first call that fails ends the run: the context of the calls still
// running is cancelled, and no further call starts. ForEach waits until
// every call it started has returned, then returns that first error.
//
// If ctx is done before every call has started, the calls not yet started
// never start, and ForEach returns an error for which errors.Is(err,
// ctx.Err()) holds, once the calls it started have returned.
func ForEach(ctx context.Context, n, limit int, query Query) error {
	// TODO: check the limit, then run the calls with an errgroup whose
	// limit is limit (golang.org/x/sync/errgroup: WithContext, SetLimit,
	// Go, Wait). A call queued behind a failure or a cancel must not start.
	return nil
}
