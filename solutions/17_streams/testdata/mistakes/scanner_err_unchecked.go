// Mistake: the scanner's Err is never looked at.
//
// for sc.Scan() { ... } ends the same way at the end of the log, at a
// read error and at a line too long for its buffer (bufio.ErrTooLong):
// only sc.Err() tells them apart. Without it a log cut short by a failing
// disk, or by one 100 KiB line, gives a summary that looks complete.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: Scanner.Err() was not checked

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
	return sum, nil
}
