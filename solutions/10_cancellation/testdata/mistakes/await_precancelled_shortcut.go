// Mistake: Await returns the cause at once for a context that is already done.
//
// `if ctx.Err() != nil { return context.Cause(ctx) }` at the top looks like a
// harmless fast path, but the transfer is still running: it is neither
// aborted nor waited for, and "when it returns, t is no longer running" is
// broken. It passes every test whose context is cancelled during the call.
//
// Replaces: abort.go
// Kind: test failed
// Expect: already-cancelled context: Await returned at once

package cancellation

import "context"

func Await(ctx context.Context, t Transfer) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	stop := context.AfterFunc(ctx, t.Abort)
	err := t.Wait()
	if !stop() {
		return context.Cause(ctx)
	}
	return err
}
