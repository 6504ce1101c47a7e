// Mistake: a failing sink stops the consumer, but nothing tells the producer.
//
// The producer selects on the caller's ctx, which is still live, so when
// Put fails the consumer returns and the producer waits forever to send
// into a full channel. The shape of many real leaks: the reader gives up,
// the writer is never told.
//
// Replaces: export.go
// Kind: goroutine leak
// Expect: producer blocked on a full channel

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
	rows := make(chan Row, ExportBuffer)
	errc := make(chan error, 1)
	go func() {
		defer close(rows)
		for ctx.Err() == nil {
			r, err := src.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					errc <- err
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

	if err := consume(ctx, rows, dst); err != nil {
		return err
	}
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
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
