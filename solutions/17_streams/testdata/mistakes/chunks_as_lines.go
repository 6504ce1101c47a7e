// Mistake: each chunk r returns is split into lines on its own.
//
// A 'data' handler on a Node stream that does chunk.toString().split("\n")
// has the same bug: a chunk ends wherever the reader stopped, usually in
// the middle of a line, and the two halves are taken for two lines. With
// a file and a big buffer the cut is rare, so it seems to work.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: a record split across two reads was miscounted

package streams

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	buf := make([]byte, 32<<10)
	n := 0
	for {
		k, err := r.Read(buf)
		if k > 0 {
			for _, line := range bytes.Split(bytes.TrimSuffix(buf[:k], []byte("\n")), []byte("\n")) {
				n++
				line = bytes.TrimSuffix(line, []byte("\r"))
				if len(line) > MaxLine {
					return sum, fmt.Errorf("line %d: %w", n, ErrLineTooLong)
				}
				rec, perr := ParseRecord(line)
				if perr != nil {
					return sum, fmt.Errorf("line %d: %w", n, perr)
				}
				sum.Add(rec)
			}
		}
		if errors.Is(err, io.EOF) {
			return sum, nil
		}
		if err != nil {
			return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
		}
	}
}
