// Package count is a fixture lesson for mutation testing.
package count

// A Counter counts, safely from many goroutines.
type Counter struct {
	n int
}

// Inc adds one.
func (c *Counter) Inc() {
	// TODO: make it safe
	c.n++
}

// Value is the count.
func (c *Counter) Value() int { return c.n }

// Below reports whether the count is below limit.
func (c *Counter) Below(limit int) bool { return c.Value() < limit }
