package streams

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
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
	defer close(out) // the sender closes, on every return
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return err // before the next read: a cancel stops the reading
		}
		if !sc.Scan() {
			break
		}
		n++
		line := sc.Bytes()
		if len(line) > MaxLine {
			return fmt.Errorf("line %d: %w", n, ErrLineTooLong)
		}
		// The next Scan writes over line: the record leaves this goroutine
		// with bytes of its own, one copy of the line for Method and Path.
		line = bytes.Clone(line)
		rec, err := ParseRecord(line)
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		select {
		case out <- rec:
		case <-ctx.Done():
			return ctx.Err() // the consumer is gone or slow: do not wait for it
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: %w", n+1, ErrLineTooLong)
		}
		return fmt.Errorf("reading the log after line %d: %w", n, err)
	}
	return nil
}
