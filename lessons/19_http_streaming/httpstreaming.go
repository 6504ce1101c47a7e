// Package httpstreaming is lesson 19: HTTP bodies as streams. An upload
// handler hashes a body of any size without holding it in memory, refuses
// one that is too large with 413, and stops when the client goes away; a
// handler streams NDJSON lines as they are ready, flushing each one; and a
// logging middleware wraps the ResponseWriter without hiding its Flush.
//
// This file is fixed: the tests rely on it. The files to edit are
// upload.go, stream.go and logging.go.
package httpstreaming

import (
	"context"
	"time"
)

// An Event is one line of a build's live log: Seq counts from 1, Text is
// what the build printed. Stream writes each event as one line of JSON,
// {"seq":1,"text":"compiling"}, the way encoding/json's Encoder writes it.
type Event struct {
	Seq  int    `json:"seq"`
	Text string `json:"text"`
}

// A Feed hands out a build's events one at a time, as the build makes
// them. The tests provide the feeds.
type Feed interface {
	// Next waits until the next event is ready and returns it and true. It
	// returns false when the build has ended (there are no more events),
	// or as soon as ctx is done, whichever comes first.
	Next(ctx context.Context) (Event, bool)
}

// LineTimeout is how long Stream gives the connection to take each write:
// a client that stops reading for longer than this is dropped.
const LineTimeout = 10 * time.Second

// An Entry is one line of the access log that Logged writes: one request,
// once it has been served.
type Entry struct {
	Method string        // the request's method, "GET"
	Path   string        // the request's URL path, "/builds/7/log"
	Status int           // the status the client got: 200 if the handler set none
	Bytes  int64         // how many bytes of body the handler wrote
	Took   time.Duration // from the call of the handler until it returned
}
