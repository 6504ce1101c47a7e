// Mistake: the last line is lost when the log does not end in "\n".
//
// ReadString('\n') returns the last line together with io.EOF when no
// "\n" follows it. A loop that stops at the first error, before it looks
// at what came with it, drops that line; editors and most loggers end
// files with "\n", so it shows only on the logs that do not.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: the last line without a newline was lost

package streams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	br := bufio.NewReader(r)
	n := 0
	for {
		s, err := br.ReadString('\n')
		if errors.Is(err, io.EOF) {
			return sum, nil
		}
		if err != nil {
			return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
		}
		n++
		line := strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
		if len(line) > MaxLine {
			return sum, fmt.Errorf("line %d: %w", n, ErrLineTooLong)
		}
		rec, err := ParseRecord([]byte(line))
		if err != nil {
			return sum, fmt.Errorf("line %d: %w", n, err)
		}
		sum.Add(rec)
	}
}
