// Mistake: Inc uses atomic.AddInt64, but Value reads the field plainly.
//
// The writes are atomic, so no view is lost and every count comes out right,
// which makes this look finished. But a plain load is not ordered with the
// atomic adds: the compiler and the CPU may give Value a stale value, and the
// race detector reports it. Every access must be atomic, reads included.
//
// Replaces: counter.go
// Kind: data race
// Expect: atomic writer with a plain reader

package dataraces

import "sync/atomic"

// A Counter counts the page views of a whole website.
type Counter struct {
	n int64
}

// Inc counts one view.
func (c *Counter) Inc() {
	atomic.AddInt64(&c.n, 1)
}

// Value returns the number of views counted so far.
func (c *Counter) Value() int64 {
	return c.n
}
