// Mistake: the records still point into the scanner's buffer.
//
// sc.Bytes() is valid only until the next Scan, and ParseRecord does not
// copy. The consumer gets records whose bytes change under it as the
// scanner reads on: a record it kept now shows another line's path. In
// one goroutine this is a bug; across two it is also a data race.
//
// Replaces: produce.go
// Kind: test failed
// Expect: records changed after they were sent

package streams

import (
	"bufio"
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
