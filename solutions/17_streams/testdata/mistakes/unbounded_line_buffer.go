// Mistake: the scanner may grow its buffer without limit, "to be safe".
//
// The usual answer to bufio.ErrTooLong found online is
// sc.Buffer(buf, math.MaxInt). Then a line is measured only once it is
// all in memory: one line that never ends (a binary file, a broken
// writer) fills the memory before the length check runs.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: the whole line was held in memory

package streams

import (
	"bufio"
	"fmt"
	"io"
	"math"
)

func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), math.MaxInt)
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
	if err := sc.Err(); err != nil {
		return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
	}
	return sum, nil
}
