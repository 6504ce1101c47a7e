package streams

import (
	"context"
	"io"
)

// Produce is the reading half of a pipeline: it reads the log from r line
// by line, parses each line with ParseRecord, and sends the records on out,
// in the order of the lines, one at a time, as the consumer takes them. Run
// it in a goroutine of its own and range over out in another:
//
//	out := make(chan Record)
//	go func() { errc <- Produce(ctx, r, out) }()
//	for rec := range out { ... }
//
// Produce closes out when it returns, whatever the reason, so the
// consumer's range always ends.
//
// Each record Produce sends owns its Method and Path: the consumer may keep
// a record as long as it likes, and nothing writes to its bytes again.
// (ParseRecord's slices point into the line, and the scanner writes the
// next lines over it.)
//
// When ctx is done, Produce stops: it reads no more of r, sends nothing
// more, and returns ctx.Err(), also while it is waiting for the consumer to
// take a record. If ctx is done before Produce starts, it reads nothing.
//
// Otherwise Produce ends as Summarize does: nil once every line of r was
// sent; at the first line longer than MaxLine or not a record, the same
// error Summarize returns ("line 7: ...", wrapping ErrLineTooLong or
// ErrMalformed), after sending the records before it; if reading r fails,
// an error wrapping r's error, after sending the records read so far.
func Produce(ctx context.Context, r io.Reader, out chan<- Record) error {
	// TODO: scan r as in Summarize, and for each record: check ctx, copy
	// the record's Method and Path, and send it in a select that also
	// waits for ctx.Done(). Make sure out is closed on every return.
	return nil
}
