// Mistake: the AfterFunc is registered but never stopped.
//
// context.AfterFunc(ctx, t.Abort) aborts the transfer on cancel, but the
// registration stays on ctx after Await returns. When the request ends
// later, Abort runs anyway and breaks whatever the connection does next.
//
// Replaces: abort.go
// Expect: aborted after Await returned

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
	context.AfterFunc(ctx, t.Abort)
	err := t.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
