// Mistake: the record is sent with a plain send, deaf to ctx.
//
// out <- rec waits until someone receives. When the consumer has gone
// (it returned early, or it failed), nobody ever will: Produce waits
// forever, and so do its goroutine, its buffer and the file it reads. The
// ctx check before each line does not help; Produce never gets there.
//
// Replaces: produce.go
// Kind: test failed
// Expect: blocked on a send after cancel

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
		out <- rec
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: %w", n+1, ErrLineTooLong)
		}
		return fmt.Errorf("reading the log after line %d: %w", n, err)
	}
	return nil
}
