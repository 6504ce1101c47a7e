// Package dataraces is lesson 04: memory that several goroutines use at once
// must be synchronized on every access, reads included. It builds the page
// view counters of a website: a total counter with sync/atomic, views per
// page in a map guarded by a sync.Mutex, feature flags in a read-mostly map
// guarded by a sync.RWMutex, and getters that hand out copies, never the
// map they guard.
package dataraces

import "sync/atomic"

// A Counter counts the page views of a whole website. Every request handler
// calls Inc, from as many goroutines as there are requests in flight, and a
// metrics endpoint calls Value at any time.
//
// The zero Counter is ready to use and counts from 0. A Counter must not be
// copied after first use. Inc and Value are safe for concurrent use.
type Counter struct {
	n atomic.Int64 // every access goes through its methods
}

// Inc counts one view. No view is lost when many goroutines call Inc at once.
func (c *Counter) Inc() {
	c.n.Add(1)
}

// Value returns the number of views counted so far. It may be called while
// other goroutines call Inc.
func (c *Counter) Value() int64 {
	return c.n.Load()
}
