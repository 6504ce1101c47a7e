// Mistake: the counter is a plain int64 with count++ and no synchronization.
//
// c.n++ is three steps: load the count, add one, store it back. Two
// goroutines can load the same count and both store count+1, so a view is
// lost; on one core it rarely shows, on many cores it loses thousands. The
// read in Value is not ordered with the writes either.
//
// Replaces: counter.go
// Kind: data race
// Expect: data race on the counter

package dataraces

// A Counter counts the page views of a whole website.
type Counter struct {
	n int64
}

// Inc counts one view.
func (c *Counter) Inc() {
	c.n++
}

// Value returns the number of views counted so far.
func (c *Counter) Value() int64 {
	return c.n
}
