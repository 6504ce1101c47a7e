// Mistake: bufio.Reader.ReadLine's isPrefix is ignored.
//
// ReadLine returns at most a buffer's worth of a line and says with
// isPrefix that more is coming. Ignoring it cuts a long line in pieces
// and takes each piece for a line: silent truncation, then a confusing
// "not a log record" for a line that does not exist.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: silent truncation

package streams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	br := bufio.NewReader(r)
	n := 0
	for {
		line, _, err := br.ReadLine()
		if errors.Is(err, io.EOF) {
			return sum, nil
		}
		if err != nil {
			return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
		}
		n++
		if len(line) > MaxLine {
			return sum, fmt.Errorf("line %d: %w", n, ErrLineTooLong)
		}
		rec, err := ParseRecord(line)
		if err != nil {
			return sum, fmt.Errorf("line %d: %w", n, err)
		}
		sum.Add(rec)
	}
}
