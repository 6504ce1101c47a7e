// Mistake: the AfterFunc is registered but never stopped.
//
// context.AfterFunc(ctx, t.Abort) aborts the transfer on cancel, but the
// registration stays on ctx after Await returns. When the request ends
// later, Abort runs anyway and breaks whatever the connection does next.
//
// Replaces: abort.go
// Kind: test failed
// Expect: aborted after Await returned

package cancellation

import "context"

func Await(ctx context.Context, t Transfer) error {
	context.AfterFunc(ctx, t.Abort)
	err := t.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
