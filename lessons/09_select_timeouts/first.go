package selecttimeouts

import (
	"context"
	"errors"
)

// ErrNoBackends is what First returns when it is given no backends.
var ErrNoBackends = errors.New("selecttimeouts: no backends")

// First asks every backend at the same time, each in a goroutine of its
// own, and returns the first successful answer: the fastest replica wins.
//
// A backend that fails does not end the race; First goes on waiting for the
// others. As soon as one backend succeeds, First cancels the context of all
// the others, waits until every backend has returned, and returns the
// winner's answer with a nil error. When First returns, no backend is
// running any more.
//
// If every backend fails, First returns "" and an error that joins all
// their errors (errors.Join), so that errors.Is finds each of them. If ctx
// is done before any backend succeeds, First cancels the backends, waits for
// them, and returns an error for which errors.Is(err, ctx.Err()) holds.
// With no backends, First returns ErrNoBackends at once.
func First(ctx context.Context, backends ...Call) (string, error) {
	// TODO: start every backend with a context you can cancel, take the
	// first success, cancel and wait for the rest, and collect the errors
	// if nobody succeeds.
	return "", ErrNoBackends
}
