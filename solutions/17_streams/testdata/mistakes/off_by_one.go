// Mistake: a line of exactly MaxLine bytes is refused.
//
// ">=" for ">": the limit says the longest line allowed is MaxLine bytes,
// so MaxLine itself must pass. Off-by-one limits are found by the one
// test that sits exactly on the boundary.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: off by one

package streams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(line) >= MaxLine {
			return sum, fmt.Errorf("line %d: %w", n, ErrLineTooLong)
		}
		rec, err := ParseRecord(line)
		if err != nil {
			return sum, fmt.Errorf("line %d: %w", n, err)
		}
		sum.Add(rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return sum, fmt.Errorf("line %d: %w", n+1, ErrLineTooLong)
		}
		return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
	}
	return sum, nil
}
