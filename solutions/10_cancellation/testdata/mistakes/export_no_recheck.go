// Mistake: the consumer stores a row it received after the stop, without checking ctx again.
//
// The consumer selects on the channel and on ctx.Done(), but when a row and
// ctx.Done() are both ready, select picks one at random. Without a
// ctx.Err() check after receiving, it Puts a row after the stop in one stop
// of two, against "the consumer starts no new Put".
//
// Replaces: export.go
// Kind: test failed
// Expect: Put after cancel

package cancellation

import "context"

func consume(ctx context.Context, rows <-chan Row, dst Sink) error {
	for {
		select {
		case r, ok := <-rows:
			if !ok {
				return context.Cause(ctx)
			}
			if err := dst.Put(ctx, r); err != nil {
				if cause := context.Cause(ctx); cause != nil {
					return cause
				}
				return err
			}
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}
