package cancellation

import (
	"context"
	"errors"
	"io"
	"sync"
)

// A Row is one record of an export, such as an order.
type Row struct {
	ID    int
	Total int // cents
}

// A Source reads rows one at a time, like the rows of a database query:
// Next returns the next row, or io.EOF after the last one. Next takes no
// context and cannot be interrupted: the query's context was given when the
// query started. Next is called from one goroutine at a time.
type Source interface {
	Next() (Row, error)
}

// A Sink stores exported rows, in order. Put may be slow; it returns
// ctx.Err() if ctx is done before the row is stored.
type Sink interface {
	Put(ctx context.Context, r Row) error
}

// ExportBuffer is how many rows the producer may read ahead of the
// consumer.
const ExportBuffer = 4

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
// finishes the Next it is in, and never stays blocked on a full channel; and
// the consumer starts no new Put, although rows may be left in the channel.
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

	err := consume(ctx, rows, dst)
	cancel(err)
	producer.Wait()
	return err
}

// consume puts the rows it receives into dst until rows is closed, ctx is
// done or a Put fails, and returns why it stopped: nil for the end of the
// rows, else the error or ctx's cause.
func consume(ctx context.Context, rows <-chan Row, dst Sink) error {
	for {
		select {
		case r, ok := <-rows:
			if !ok {
				// The producer is done: at io.EOF ctx is live and the cause
				// is nil; after a failure or a cancel it says why.
				return context.Cause(ctx)
			}
			// Both cases may be ready at once, and select picks one at
			// random: check ctx before storing a row after the stop.
			if ctx.Err() != nil {
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
