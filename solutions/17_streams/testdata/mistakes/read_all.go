// Mistake: the whole log is read into memory, then split into lines.
//
// fs.readFileSync(path).toString().split("\n") in Go: io.ReadAll, then
// bytes.Lines. Every line is counted right, and on a test log nobody sees
// a difference; on a 256 MiB log the process holds 256 MiB and more (the
// slice grows by doubling), and a big enough log ends it.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: the whole input was read into memory

package streams

import (
	"bytes"
	"fmt"
	"io"
)

func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	data, err := io.ReadAll(r)
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimSuffix(line, []byte("\n"))
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
	if err != nil {
		return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
	}
	return sum, nil
}
