// Mistake: Value has a value receiver, so each call copies the atomic field.
//
// func (c Counter) Value() copies the whole Counter with a plain read: a data
// race with every Inc, and "must not be copied" broken by the method itself.
// go vet's copylocks check reports it; go test runs no copylocks.
//
// Replaces: counter.go
// Kind: data race
// Expect: Counter copied on every call
// Expect: DATA RACE

package dataraces

import "sync/atomic"

type Counter struct {
	n atomic.Int64
}

func (c *Counter) Inc() { c.n.Add(1) }

func (c Counter) Value() int64 { return c.n.Load() }
