package katatest

import (
	"os"
	"sync"
	"time"
)

// DefaultPatience is how long, in real time, a Barrier waits for all its
// parties before it opens anyway. The environment variable KATA_PATIENCE
// replaces it.
const DefaultPatience = 250 * time.Millisecond

// A Barrier forces an interleaving. The first n goroutines that call Wait
// block until all n have arrived, then go on together; every later call
// returns at once. Put Wait between a read and the write that depends on it
// (in a fake store's Get, say) and two read-modify-write calls are forced to
// both read before either writes, every run, instead of only when the
// scheduler happens to interleave them.
//
// Correct code often serializes the parties, for example by holding a lock
// across the read and the write, so the second party can never reach Wait
// while the first waits there. The barrier therefore opens anyway once the
// first party has waited its patience in real time, and from then on it
// never blocks again: a correct solution pays the patience once per
// barrier, and an incorrect one is still forced, because its parties arrive
// within microseconds of each other.
//
// Use a Barrier outside synctest bubbles: inside one, a goroutine waiting for
// a sync.Mutex is not durably blocked, and the bubble would stall instead of
// timing out. The zero Barrier is not usable; call NewBarrier.
type Barrier struct {
	n        int
	patience time.Duration
	open     chan struct{} // closed when the barrier opens

	mu      sync.Mutex // protects arrived, filled, opened
	arrived int
	filled  bool // all n parties arrived before the patience ran out
	opened  bool
}

// NewBarrier returns a Barrier for n parties with DefaultPatience.
func NewBarrier(n int) *Barrier {
	return NewBarrierPatience(n, patience())
}

// NewBarrierPatience returns a Barrier for n parties that opens after
// patience of real time even if fewer have arrived.
func NewBarrierPatience(n int, patience time.Duration) *Barrier {
	return &Barrier{n: n, patience: patience, open: make(chan struct{})}
}

// Wait blocks until all parties have arrived or the barrier's patience has
// run out since the first one arrived, whichever is first. Once the
// barrier is open, Wait returns at once. Wait reports whether the barrier
// filled, that is whether the interleaving was forced.
func (b *Barrier) Wait() bool {
	b.mu.Lock()
	if b.opened {
		filled := b.filled
		b.mu.Unlock()
		return filled
	}
	b.arrived++
	first := b.arrived == 1
	if b.arrived == b.n {
		b.filled = true
		b.openLocked()
	}
	b.mu.Unlock()

	if first {
		timer := time.NewTimer(b.patience)
		defer timer.Stop()
		select {
		case <-b.open:
		case <-timer.C:
			b.mu.Lock()
			b.openLocked()
			b.mu.Unlock()
		}
	} else {
		<-b.open
	}
	return b.Filled()
}

// Filled reports whether all parties arrived before the patience ran out.
func (b *Barrier) Filled() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.filled
}

func (b *Barrier) openLocked() {
	if !b.opened {
		b.opened = true
		close(b.open)
	}
}

func patience() time.Duration {
	if s := os.Getenv("KATA_PATIENCE"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d
		}
	}
	return DefaultPatience
}
