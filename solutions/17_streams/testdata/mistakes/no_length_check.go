// Mistake: only the scanner's own limit is checked, not MaxLine.
//
// bufio.Scanner stops with ErrTooLong at its buffer's size, 64 KiB by
// default, not at the limit the contract states. Lines from 4097 bytes to
// 64 KiB pass as records, and the limit is whatever the buffer happens to
// be.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: a line longer than MaxLine was counted

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
		rec, err := ParseRecord(sc.Bytes())
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
