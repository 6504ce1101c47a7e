// Package workerpool is lesson 14: a fixed number of workers take jobs from
// a bounded queue and hand back results, the way libuv's thread pool runs
// Node's file system and crypto work on four threads. Submit never panics,
// not even while the pool shuts down; Shutdown finishes every job it
// accepted, within a deadline; and a job that panics fails alone.
//
// This file is fixed: the tests rely on it. The files to edit are pool.go,
// worker.go and shutdown.go.
package workerpool

import "errors"

// A Job is one piece of work for the pool: make a thumbnail, hash an
// upload. ID is the caller's name for it, handed back in its Result. Run
// does the work and returns its output or an error; it may also panic.
type Job struct {
	ID  int
	Run func() (string, error)
}

// A Result is what one job's Run returned: its Value and Err, under the
// job's ID. A job that panicked has an Err that wraps ErrPanic.
type Result struct {
	ID    int
	Value string
	Err   error
}

// ErrClosed is what Submit returns once Shutdown has been called: the pool
// takes no more jobs.
var ErrClosed = errors.New("workerpool: the pool is shut down")

// ErrPanic is wrapped by the Err of a job that panicked; the error's text
// shows the value the job panicked with.
var ErrPanic = errors.New("workerpool: job panicked")
