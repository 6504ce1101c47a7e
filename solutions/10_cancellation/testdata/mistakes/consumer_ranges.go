// Mistake: the consumer ranges over the channel and ignores ctx.
//
// `for r := range rows` trusts the producer to stop. But when the cancel
// comes as a Put finishes, the channel still holds the rows read ahead, and
// the consumer goes on storing them for a caller that has given up. It
// seems to work whenever the cancel lands inside a Put, which fails it.
//
// Replaces: export.go
// Removes: consume
// Kind: test failed
// Expect: Put after cancel
// Expect: TestExport_NoPutAfterCancel

package cancellation

import (
	"context"
	"errors"
	"io"
	"sync"
)

// The consumer ranges over rows and trusts the producer to stop: after a
// cancel it still drains (and Puts) whatever is buffered.
func Export(ctx context.Context, src Source, dst Sink) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	rows := make(chan Row, ExportBuffer)
	var producer sync.WaitGroup
	producer.Go(func() {
		defer close(rows)
		for ctx.Err() == nil {
			r, err := src.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					cancel(err)
				}
				return
			}
			select {
			case rows <- r:
			case <-ctx.Done():
				return
			}
		}
	})

	var err error
	for r := range rows {
		if err = dst.Put(ctx, r); err != nil {
			cancel(err)
			for range rows {
			}
			break
		}
	}
	producer.Wait()
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}
