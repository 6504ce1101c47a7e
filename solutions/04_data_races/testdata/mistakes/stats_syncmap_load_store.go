// Mistake: sync.Map Load, then Store a new counter when missing (not LoadOrStore).
//
// Lock-free creation with sync.Map: two first Records of a new page both miss
// in Load, both Store a new counter, and the views counted in the replaced one
// are lost. -race says nothing: sync.Map is safe, the pair of calls is not one
// step. A page name megabytes long keeps the first Records inside their
// look-ups together, with or without a mutex in Stats.
//
// Replaces: stats.go
// Kind: test failed
// Expect: views lost on the first records of a new page

package dataraces

import (
	"sync"
	"sync/atomic"
)

type Stats struct {
	views sync.Map // page -> *atomic.Int64
}

func NewStats() *Stats { return &Stats{} }

func (s *Stats) Record(page string) {
	c, ok := s.views.Load(page)
	if !ok {
		c = new(atomic.Int64)
		s.views.Store(page, c)
	}
	c.(*atomic.Int64).Add(1)
}

func (s *Stats) Get(page string) int64 {
	if c, ok := s.views.Load(page); ok {
		return c.(*atomic.Int64).Load()
	}
	return 0
}

func (s *Stats) Snapshot() map[string]int64 {
	snap := map[string]int64{}
	s.views.Range(func(k, v any) bool {
		snap[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return snap
}
