// Mistake: Await returns at the cancel without waiting for the transfer to stop.
//
// Wait runs in a goroutine and Await selects on its result and on
// ctx.Done(), as for a call with a timeout. But the transfer is still
// hanging up when Await returns, and the caller reuses the connection.
//
// Replaces: abort.go
// Kind: test failed
// Expect: while the transfer was still running

package cancellation

import "context"

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
