// Mistake: a line longer than MaxLine is skipped, and the summary goes on.
//
// "Be lenient with bad input" sounds kind, but the summary is now wrong
// and nothing says so: the one request whose line was too long (a huge
// user agent, an attack) is exactly the one someone will look for.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: dropped silently

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
		if len(line) > MaxLine {
			continue // too long to be a real request
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
