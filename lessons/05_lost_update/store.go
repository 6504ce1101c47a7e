// Package lostupdate is lesson 05: a read-modify-write against a slow store
// loses updates when two callers interleave, and three ways to fix it: a
// lock held across the read and the write (pessimistic), an increment done
// by the store in one step (atomic), and a write that succeeds only if
// nothing changed since the read, retried a bounded number of times
// (optimistic).
package lostupdate

import "errors"

// A Store holds named counters, like a table in a database that is reached
// over the network. Every method is safe for concurrent use and is atomic
// on its own, but nothing holds between two calls: another caller may
// change a counter between a Get and the Put that follows it.
//
// Every change to a counter bumps its version, so a version names one state
// of the counter. A counter that was never written has value 0 and
// version 0.
//
// The tests implement Store with fakes that count the calls and that can
// hold a caller at the moment before it writes.
type Store interface {
	// Get returns the counter's value and its version.
	Get(key string) (value int, version int64)

	// Put sets the counter to value, whatever it was, and bumps its
	// version. It is the UPDATE ... SET n = 11 of a database.
	Put(key string, value int)

	// Add adds delta to the counter in one step inside the store, bumps
	// its version, and returns the new value. It is the
	// UPDATE ... SET n = n + 1 of a database: two concurrent Adds never
	// lose one another.
	Add(key string, delta int) (value int)

	// CompareAndSet sets the counter to value and bumps its version, but
	// only if the counter's version is still version. It reports whether
	// it wrote. It is the UPDATE ... SET n = 11 WHERE version = 7 of a
	// database. CompareAndSet(key, 0, value) creates a counter that was
	// never written.
	CompareAndSet(key string, version int64, value int) (ok bool)
}

// MaxAttempts is how many times IncrementOptimistic tries before it gives
// up: at most MaxAttempts reads and MaxAttempts calls to CompareAndSet.
const MaxAttempts = 5

// ErrConflict is returned by IncrementOptimistic when every one of its
// MaxAttempts attempts lost to a concurrent change. The counter is
// unchanged by that call; the caller may try again later or report the
// conflict (an HTTP 409, say).
var ErrConflict = errors.New("lostupdate: too many concurrent changes, gave up")
