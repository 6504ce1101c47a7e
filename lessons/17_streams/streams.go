// Package streams is lesson 17: read an access log of any size line by
// line, in memory that does not grow with the log (Summarize), and hand its
// records to another goroutine through a channel, stopping when the
// caller's context is done (Produce).
//
// This file is fixed: the tests rely on it. The files to edit are
// summarize.go and produce.go.
package streams

import (
	"bytes"
	"errors"
	"fmt"
)

// MaxLine is the longest line Summarize and Produce accept, in bytes, not
// counting its line ending ("\n" or "\r\n"). A line of MaxLine bytes is a
// record like any other; a line of MaxLine+1 bytes or more is an error.
const MaxLine = 4096

// ErrLineTooLong is the error, wrapped, that Summarize and Produce return
// for a line longer than MaxLine. The line is never cut short or skipped.
var ErrLineTooLong = errors.New("streams: line longer than MaxLine (4096 bytes)")

// ErrMalformed is the error, wrapped, that ParseRecord returns for a line
// that is not a record.
var ErrMalformed = errors.New("streams: not a log record")

// A Record is one line of a web server's access log, one request it served:
//
//	GET /api/orders/42 200 5120
//
// the method, the path, the status code and the size of the response body
// in bytes, separated by single spaces.
type Record struct {
	Method []byte // "GET": a slice of the line ParseRecord was given, not a copy
	Path   []byte // "/api/orders/42": a slice of the line too
	Status int    // 200: three digits, 100 to 599
	Bytes  int64  // 5120
}

// ParseRecord parses one line of the log, given without its line ending.
// It returns an error wrapping ErrMalformed if the line is not exactly a
// method, a path starting with "/", a status and a size, separated by
// single spaces. An empty line is malformed, and so is a line that still
// ends in "\r".
//
// ParseRecord allocates nothing for a well-formed line: the record's Method
// and Path point into line. They are valid only as long as line's bytes
// are; a bufio.Scanner overwrites them on a later call to Scan.
func ParseRecord(line []byte) (Record, error) {
	var fields [4][]byte
	rest := line
	for i := range 3 {
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			return Record{}, malformed(line, "fewer than four fields")
		}
		fields[i], rest = rest[:sp], rest[sp+1:]
	}
	fields[3] = rest
	for i, f := range fields {
		if len(f) == 0 {
			return Record{}, malformed(line, fmt.Sprintf("field %d is empty", i+1))
		}
	}
	if fields[1][0] != '/' {
		return Record{}, malformed(line, "the path does not start with /")
	}
	status, ok := digits(fields[2])
	if !ok || len(fields[2]) != 3 || status < 100 || status > 599 {
		return Record{}, malformed(line, "the status is not a number from 100 to 599")
	}
	size, ok := digits(fields[3])
	if !ok {
		return Record{}, malformed(line, "the size is not a number of bytes")
	}
	return Record{Method: fields[0], Path: fields[1], Status: int(status), Bytes: size}, nil
}

// digits parses b as a decimal number of up to 18 digits.
func digits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func malformed(line []byte, why string) error {
	const show = 40
	if len(line) > show {
		return fmt.Errorf("%w: %s: %q...", ErrMalformed, why, line[:show])
	}
	return fmt.Errorf("%w: %s: %q", ErrMalformed, why, line)
}

// A Summary is what Summarize computes from a log: the totals an on-call
// engineer asks for first.
type Summary struct {
	Requests     int64 // the records: one per line
	Bytes        int64 // the sum of the records' sizes
	ServerErrors int64 // the records with a status from 500 to 599
}

// Add counts r into s.
func (s *Summary) Add(r Record) {
	s.Requests++
	s.Bytes += r.Bytes
	if r.Status >= 500 {
		s.ServerErrors++
	}
}
