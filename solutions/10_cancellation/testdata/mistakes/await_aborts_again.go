// Mistake: Await aborts the transfer once more after Wait, "to be sure".
//
// The AfterFunc aborts the transfer at the cancel, Wait returns, and then
// Await calls t.Abort again when ctx is done. That second Abort comes after
// Wait returned, which the Transfer's contract calls harmful: it breaks the
// next upload on the same connection.
//
// Replaces: abort.go
// Kind: test failed
// Expect: a second Abort after Wait

package cancellation

import "context"

func Await(ctx context.Context, t Transfer) error {
	stop := context.AfterFunc(ctx, t.Abort)
	err := t.Wait()
	if !stop() {
		t.Abort() // make sure the transfer is stopped
		return context.Cause(ctx)
	}
	return err
}
