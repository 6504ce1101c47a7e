package cancellation

import (
	"context"
	"errors"
	"io"
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
	// TODO: read rows in a producer goroutine that sends them on a channel
	// of ExportBuffer rows, and put them into dst here. Stop both sides
	// when ctx is done or either side fails, and wait for the producer.
	for {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := dst.Put(ctx, r); err != nil {
			return err
		}
	}
}
