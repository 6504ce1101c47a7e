// Mistake: ctx is looked at only while Produce waits to send.
//
// The select makes a waiting Produce stop on a cancel, but a Produce with
// a ready consumer reads on (a select with two ready cases picks either),
// and one called with a context already cancelled reads its first chunk
// before it notices.
//
// Replaces: produce.go
// Kind: test failed
// Expect: read although ctx was already done

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
	defer close(out) // the sender closes, on every return
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	n := 0
	for {
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
