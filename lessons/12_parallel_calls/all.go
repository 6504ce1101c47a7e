package parallelcalls

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// All makes every call at the same time, each in a goroutine of its own,
// and waits for them: Promise.all, built on errgroup.WithContext.
//
// Every call gets the context that errgroup.WithContext derives from ctx.
// If every call succeeds, All returns their results in the order of calls:
// result i is what calls[i] returned, whichever call finished first. All
// takes as long as the slowest call, not the sum of them all, however many
// calls there are.
//
// The first call to fail cancels the context of every other call, so that
// they stop at that instant instead of working for a result nobody will
// use. All then returns nil and that first error, unchanged: the error of
// the call that failed first in time, not the errors of the calls that
// failed after it (such as the context errors of the calls it cancelled).
// If several calls fail at the same moment, the first is the one the group
// records first, and All returns exactly one of their errors.
//
// All returns only when every call has returned, on error too: a call that
// ignores its context delays All until it returns. No goroutine started by
// All outlives it.
//
// A call that panics fails with a *PanicError naming it, as Try makes it:
// the panic goes no further, and its error is an error like any other.
//
// Cancelling ctx cancels every call. If ctx is already done when All is
// called, All makes no call and returns nil and ctx.Err(). With no calls,
// All returns an empty, non-nil slice and a nil error.
func All(ctx context.Context, calls []Call) ([]string, error) {
	g, groupCtx := errgroup.WithContext(ctx)
	results := make([]string, len(calls))
	// TODO: if ctx is already done, return at once. Then make every call in
	// a goroutine of the group (g.Go), through Try, with groupCtx, and store
	// its result at its own index. Wait for the group; on error, return nil
	// and the error Wait returns.
	_ = groupCtx
	return results, g.Wait()
}
