package streams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Summarize reads an access log from r, one line at a time, and returns the
// Summary of its records. The log may be of any size: Summarize holds one
// line in memory at a time (a buffer of a few KiB), never the whole log, so
// a 256 MiB log costs it no more memory than a 1 KiB one.
//
// Lines end in "\n" or "\r\n"; the last line may have no line ending at
// all, and is a record like the others. r may return the log in chunks of
// any size, one byte at a time or with io.EOF together with the last
// bytes: a line split between two reads is still one line. An empty log is
// an empty Summary and no error.
//
// Summarize stops at the first line it cannot count, and returns the
// Summary of the lines before it together with an error that says which
// line it was, counting from 1 ("line 7: ..."):
//
//   - a line longer than MaxLine: the error wraps ErrLineTooLong;
//   - a line that is not a record: the error wraps ParseRecord's error.
//
// If reading r fails, Summarize returns the Summary of the lines read so far
// together with an error wrapping r's error. Nothing ends a summary
// silently: a nil error means every line of r was counted.
func Summarize(r io.Reader) (Summary, error) {
	var sum Summary
	sc := bufio.NewScanner(r)
	// A 64 KiB buffer, allocated once: the scanner reads in big chunks, and
	// a line that does not fit stops it with bufio.ErrTooLong.
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	n := 0 // the lines scanned so far
	for sc.Scan() {
		n++
		line := sc.Bytes() // without "\n" or "\r\n"; valid until the next Scan
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
		if errors.Is(err, bufio.ErrTooLong) {
			// The line after the n scanned did not fit in the buffer.
			return sum, fmt.Errorf("line %d: %w", n+1, ErrLineTooLong)
		}
		return sum, fmt.Errorf("reading the log after line %d: %w", n, err)
	}
	return sum, nil
}
