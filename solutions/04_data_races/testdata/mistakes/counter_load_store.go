// Mistake: Inc loads, adds and stores with three atomic calls.
//
// c.n.Store(c.n.Load() + 1): every access is atomic, so -race reports nothing,
// but two Incs that load the same count lose a view. Whether two Incs meet in
// that window is up to the machine; TestCounter_IncIsOneStep names it from the
// source.
//
// Replaces: counter.go
// Kind: test failed
// Expect: Inc stores a value it loaded before

package dataraces

import "sync/atomic"

type Counter struct {
	n atomic.Int64
}

func (c *Counter) Inc() { c.n.Store(c.n.Load() + 1) }

func (c *Counter) Value() int64 { return c.n.Load() }
