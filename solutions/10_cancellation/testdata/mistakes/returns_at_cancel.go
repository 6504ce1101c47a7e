// Mistake: Await returns at the cancel without waiting for the transfer to stop.
//
// Wait runs in a goroutine and Await selects on its result and on
// ctx.Done(), as for a call with a timeout. But the transfer is still
// hanging up when Await returns, and the caller reuses the connection.
//
// Replaces: abort.go
// Expect: while the transfer was still running

package cancellation

import "context"

// A Transfer is an upload run by a storage client that predates the context
// package: it has no ctx parameter, only a way to stop it.
//
// Wait blocks until the upload ends and returns its error; it is called once.
// Abort asks the upload to stop early; Wait then returns soon, with an
// error. Abort may be called from any goroutine at any time. But an Abort
// that comes after Wait returned is harmful: the client reuses its
// connection for the next upload, and the stray Abort breaks that one.
type Transfer interface {
	Wait() error
	Abort()
}

// Await waits for t to finish, or for ctx to be done, whichever comes first.
//
// If t finishes first, Await returns what t.Wait returned. If ctx is done
// first, Await calls t.Abort at that instant, waits for t.Wait to return,
// and returns context.Cause(ctx).
//
// Await leaves nothing behind: when it returns, t is no longer running, no
// goroutine it started is still running, and nothing it set up will call
// t.Abort if ctx is cancelled later.
func Await(ctx context.Context, t Transfer) error {
	done := make(chan error, 1)
	go func() { done <- t.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		t.Abort()
		return context.Cause(ctx)
	}
}
