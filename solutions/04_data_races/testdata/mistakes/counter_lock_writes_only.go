// Mistake: Inc holds a mutex, Value reads without it.
//
// "Reading is harmless" is the idea behind it. A lock only orders the code
// that holds it: a read outside the lock races with every write inside it,
// and may see a stale count.
//
// Replaces: counter.go
// Kind: data race
// Expect: data race on the counter
// Expect: Counter.Value

package dataraces

import "sync"

// A Counter counts the page views of a whole website.
type Counter struct {
	mu sync.Mutex // protects n, but only Inc takes it
	n  int64
}

// Inc counts one view.
func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Value returns the number of views counted so far.
func (c *Counter) Value() int64 {
	return c.n
}
