// Package count is a fixture lesson for mutation testing.
package count

import "sync"

// A Counter counts, safely from many goroutines.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Inc adds one.
func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

// Value is the count. The tests read it only after every Inc has returned,
// so its lock is never needed by them: removing it survives.
func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Below reports whether the count is below limit.
func (c *Counter) Below(limit int) bool { return c.Value() < limit }
