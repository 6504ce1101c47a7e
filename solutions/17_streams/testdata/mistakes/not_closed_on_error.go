// Mistake: out is closed only when the log was read to its end.
//
// close(out) at the bottom of the function runs on the happy path; every
// early return (a bad line, a read error, a cancel) skips it, and the
// consumer's range waits forever for a record that will never come.
//
// Replaces: produce.go
// Kind: test failed
// Expect: out was not closed on every return

package streams

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

func Produce(ctx context.Context, r io.Reader, out chan<- Record) error {
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
	close(out)
	return nil
}
