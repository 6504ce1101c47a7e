// Mistake: one atomic counter per page, created by double-checked locking:
// the page is looked up under RLock, and a new counter is stored under
// Lock, two critical sections with a gap between them.
//
// Every goroutine that looked the page up before the first store saw no
// counter, so each stores a new one, replacing the counter (and the views)
// that the others just created. -race says nothing: every access is under
// a lock or atomic. The test records a new page with a name megabytes long
// from many goroutines at once: each look-up hashes the name for a
// millisecond or so, so they all see "no counter yet".
//
// Replaces: stats.go
// Kind: test failed
// Expect: check-then-act in two critical sections

package dataraces

import (
	"sync"
	"sync/atomic"
)

// Stats keeps one atomic counter per page; the map is only locked to find
// or create the counter. Check-then-act in two critical sections.
type Stats struct {
	mu    sync.RWMutex
	views map[string]*atomic.Int64
}

func NewStats() *Stats { return &Stats{views: make(map[string]*atomic.Int64)} }

func (s *Stats) Record(page string) {
	s.mu.RLock()
	c, ok := s.views[page]
	s.mu.RUnlock()
	if !ok {
		c = new(atomic.Int64)
		s.mu.Lock()
		s.views[page] = c // may overwrite a counter another goroutine just created
		s.mu.Unlock()
	}
	c.Add(1)
}

func (s *Stats) Get(page string) int64 {
	s.mu.RLock()
	c := s.views[page]
	s.mu.RUnlock()
	if c == nil {
		return 0
	}
	return c.Load()
}

func (s *Stats) Snapshot() map[string]int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	snap := make(map[string]int64, len(s.views))
	for p, c := range s.views {
		snap[p] = c.Load()
	}
	return snap
}
