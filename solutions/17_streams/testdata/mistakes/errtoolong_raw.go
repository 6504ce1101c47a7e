// Mistake: the scanner's error is returned as it is.
//
// Checking sc.Err() is right, but bufio.ErrTooLong says only "token too
// long": not which line, and it is not the ErrLineTooLong the contract
// promises, so a caller's errors.Is finds nothing.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: bufio.ErrTooLong returned as it is

package streams

import (
	"bufio"
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
		if len(line) > MaxLine {
			return sum, fmt.Errorf("line %d: %w", n, ErrLineTooLong)
		}
		rec, err := ParseRecord(line)
		if err != nil {
			return sum, fmt.Errorf("line %d: %w", n, err)
		}
		sum.Add(rec)
	}
	return sum, sc.Err()
}
