// Mistake: the producer stops on a source error without reporting it.
//
// It closes the channel as at io.EOF, the consumer stores what is left
// and Export returns nil: the export looks complete, but it is missing
// every row after the failure.
//
// Replaces: export.go
// Kind: test failed
// Expect: the source's error was lost

package cancellation

import (
	"context"
	"sync"
)

// Export copies every row of src to dst, in order. One goroutine, the
// producer, reads rows from src and sends them on a channel with room for
// ExportBuffer rows; Export itself, the consumer, takes them from the
// channel and puts them into dst. So reading the next row overlaps with
// storing the last one.
//
// Export returns nil once every row up to io.EOF is stored. It stops early,
// and both sides stop with it, when ctx is done (it returns
// context.Cause(ctx)) or when src or dst fails (it returns that error). The
// first of these wins. After the stop, the producer starts no new Next: it
// finishes the Next it is in, and never stays blocked on a full channel.
// Export returns only once the producer goroutine has returned.
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
				return // io.EOF or a failure: either way, no more rows
			}
			select {
			case rows <- r:
			case <-ctx.Done():
				return
			}
		}
	})

	err := consume(ctx, rows, dst)
	cancel(err)
	producer.Wait()
	return err
}

func consume(ctx context.Context, rows <-chan Row, dst Sink) error {
	for {
		select {
		case r, ok := <-rows:
			if !ok {
				// The producer is done: at io.EOF ctx is live and the cause
				// is nil; after a failure or a cancel it says why.
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
