// Mistake: Inc takes no lock.
//
// Replaces: count.go
// Kind: data race
// Expect: DATA RACE

package count

// A Counter counts.
type Counter struct{ n int }

// Inc adds one.
func (c *Counter) Inc() { c.n++ }

// Value is the count.
func (c *Counter) Value() int { return c.n }

// Below reports whether the count is below limit.
func (c *Counter) Below(limit int) bool { return c.Value() < limit }
