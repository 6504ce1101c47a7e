// Mistake: Export returns without waiting for the producer.
//
// Both sides are told to stop, but Export does not wait until the producer
// has. A producer inside a Next that cannot be interrupted runs on after
// Export returned, reading from a query the caller thinks is closed.
//
// Replaces: export.go
// Kind: goroutine leak
// Expect: before the producer stopped

package cancellation

import (
	"context"
	"errors"
	"io"
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
	go func() {
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
	}()

	return consume(ctx, rows, dst)
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
