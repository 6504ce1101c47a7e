// Mistake: Await asks ctx.Err() after Wait instead of using stop()'s result.
//
// The AfterFunc is registered and stopped, but whether the context ended the
// transfer is decided by ctx.Err() after Wait. A cancel that lands after the
// transfer completed by itself, before Await looks, turns a finished upload
// into an error. It passes every test whose cancel comes before Wait returns.
//
// Replaces: abort.go
// Kind: test failed
// Expect: instead of asking stop() whether the AfterFunc ran

package cancellation

import "context"

func Await(ctx context.Context, t Transfer) error {
	stop := context.AfterFunc(ctx, t.Abort)
	err := t.Wait()
	stop()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
