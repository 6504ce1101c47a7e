// Mistake: every record is parsed first, and sent afterwards.
//
// Like awaiting the whole file before emitting anything: the records are
// right and in order, but the whole log sits in memory as records before
// the consumer sees the first one, and a slow consumer does not slow the
// reading down at all.
//
// Replaces: produce.go
// Kind: test failed
// Expect: read ahead of the consumer

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
	defer close(out)
	if err := ctx.Err(); err != nil {
		return err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	var recs []Record
	var ended error
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(line) > MaxLine {
			ended = fmt.Errorf("line %d: %w", n, ErrLineTooLong)
			break
		}
		rec, err := ParseRecord(bytes.Clone(line))
		if err != nil {
			ended = fmt.Errorf("line %d: %w", n, err)
			break
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil && ended == nil {
		if errors.Is(err, bufio.ErrTooLong) {
			ended = fmt.Errorf("line %d: %w", n+1, ErrLineTooLong)
		} else {
			ended = fmt.Errorf("reading the log after line %d: %w", n, err)
		}
	}
	for _, rec := range recs {
		select {
		case out <- rec:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ended
}
