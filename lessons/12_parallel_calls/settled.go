package parallelcalls

import "context"

// AllSettled makes every call at the same time, each in a goroutine of its
// own, and lets every one of them settle: Promise.allSettled.
//
// A failing call does not cancel the others: nothing but ctx cancels a
// call, and AllSettled returns when every call has returned, however long
// the slowest takes. Cancelling ctx cancels every call.
//
// results has one entry per call: result i is what calls[i] returned, or ""
// if it failed. err joins the error of every call that failed
// (errors.Join), in the order of calls, not the order they failed in, so
// that errors.Is finds each of them; err is nil when every call succeeded.
// A call that panics fails with a *PanicError naming it, as Try makes it.
//
// If ctx is already done when AllSettled is called, AllSettled makes no
// call: every result is "" and err is ctx.Err(). With no calls, AllSettled
// returns an empty, non-nil slice and a nil error.
func AllSettled(ctx context.Context, calls []Call) (results []string, err error) {
	results = make([]string, len(calls))
	// TODO: if ctx is already done, return at once. Then make every call in
	// a goroutine of its own, through Try, with ctx; store its result and
	// its error at its own index; wait for every call; join the errors.
	return results, nil
}
