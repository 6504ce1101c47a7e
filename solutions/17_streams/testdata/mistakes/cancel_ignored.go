// Mistake: a cancel skips the record instead of stopping Produce.
//
// The select has a ctx.Done() case, so nothing blocks, but the case only
// drops the record and goes on with the next line: after a cancel Produce
// reads the whole log, sends nothing, and returns nil as if all went well.
//
// Replaces: produce.go
// Kind: test failed
// Expect: kept reading after cancel

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
			continue // cancelled: skip it
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
