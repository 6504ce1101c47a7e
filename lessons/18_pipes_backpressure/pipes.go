// Package pipesbackpressure is lesson 18: connect a producer goroutine to
// a consumer with io.Pipe, so that a slow consumer slows the producer down
// instead of letting memory grow (Pipe); copy one stream to two consumers
// at the pace of the slower one (Tee); and build a pipe with room for a
// fixed number of bytes, Node's highWaterMark as a Go type (Window).
//
// This file is fixed: the tests rely on it. The files to edit are pipe.go,
// tee.go and window.go.
package pipesbackpressure

import "io"

// A Producer writes a stream to w: an export that renders rows, a backup
// that reads a disk. It returns nil once it wrote the whole stream, or the
// error that stopped it. A producer stops at its first failed Write and
// returns an error that wraps the Write's error.
//
// Like every io.Writer caller, a producer may reuse its buffer once a
// Write returned: the writer must not keep p.
type Producer func(w io.Writer) error

// A Consumer reads a stream from r until r returns io.EOF: an upload to
// storage, a parser. It returns nil once it read the whole stream, or the
// error that stopped it; when a Read fails, the error it returns wraps the
// Read's error. A consumer may also stop early, with or without an error:
// a parser that found what it needed in the first bytes.
type Consumer func(r io.Reader) error
