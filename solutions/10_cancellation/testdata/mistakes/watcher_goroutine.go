// Mistake: a goroutine waits for ctx.Done() to abort the transfer.
//
// The goroutine has no way to stop but the context: if the context ends
// long after the transfer, it aborts a finished transfer; if the context
// never ends, the goroutine never does. One leak per transfer.
//
// Replaces: abort.go
// Kind: goroutine leak
// Expect: Await left a goroutine behind
// Expect: aborted after Await returned

package cancellation

import "context"

func Await(ctx context.Context, t Transfer) error {
	go func() {
		<-ctx.Done()
		t.Abort()
	}()
	err := t.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
