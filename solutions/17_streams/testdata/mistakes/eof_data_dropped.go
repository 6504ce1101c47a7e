// Mistake: a read loop drops the bytes that come with an error.
//
// io.Reader may return n > 0 bytes and an error in the same call, io.EOF
// included; the bytes come first. A loop that checks err before it looks
// at n loses the end of the log with readers that do that (compressed
// streams, network bodies, iotest.DataErrReader), and never with a file.
//
// Replaces: summarize.go
// Kind: test failed
// Expect: the bytes returned together with io.EOF were dropped

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
	var pending []byte // the start of a line whose end has not come yet
	n := 0
	count := func(line []byte) error {
		n++
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > MaxLine {
			return fmt.Errorf("line %d: %w", n, ErrLineTooLong)
		}
		rec, err := ParseRecord(line)
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		sum.Add(rec)
		return nil
	}
	for {
		k, err := r.Read(buf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
		}
		pending = append(pending, buf[:k]...)
		for {
			i := bytes.IndexByte(pending, '\n')
			if i < 0 {
				break
			}
			if err := count(pending[:i]); err != nil {
				return sum, err
			}
			pending = pending[i+1:]
		}
		if len(pending) > MaxLine+1 {
			return sum, fmt.Errorf("line %d: %w", n+1, ErrLineTooLong)
		}
	}
	if len(pending) > 0 {
		if err := count(pending); err != nil {
			return sum, err
		}
	}
	return sum, nil
}
