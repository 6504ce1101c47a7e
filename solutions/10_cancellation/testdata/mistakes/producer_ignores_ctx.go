// Mistake: the producer sends with a plain send that ignores ctx.Done().
//
// When the consumer stops (the caller cancelled), the channel fills up and
// the producer blocks forever on its next send: a goroutine leak per
// cancelled export. With a slow consumer the channel is always full.
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
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	rows := make(chan Row, ExportBuffer)
	go func() {
		defer close(rows)
		for {
			r, err := src.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					cancel(err)
				}
				return
			}
			rows <- r
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
