// Mistake: Await checks ctx before it stops the AfterFunc.
//
// `defer stop()` unregisters the AfterFunc only on the way out, after the
// check of ctx.Err(). A cancel that lands in between runs Abort on a
// transfer that has already ended, which breaks the next upload on the
// connection, and Await reports the cause for an upload that completed.
//
// Replaces: abort.go
// Kind: test failed
// Expect: aborted after Wait returned

package cancellation

import "context"

func Await(ctx context.Context, t Transfer) error {
	stop := context.AfterFunc(ctx, t.Abort)
	defer stop()
	err := t.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
