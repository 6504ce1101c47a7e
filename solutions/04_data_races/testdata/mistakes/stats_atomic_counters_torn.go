// Mistake: per-page atomic counters under RLock; Snapshot loads them one by one while Records go on.
//
// Each count is exact, but Snapshot and Record both hold only the read lock,
// so Records go on while Snapshot copies: the snapshot mixes counts from
// different instants. TestStats_SnapshotIsOfOneInstant records a chain of
// pages in order and checks the order in every snapshot.
//
// Replaces: stats.go
// Kind: test failed
// Expect: the snapshot is not from one instant

package dataraces

import (
	"sync"
	"sync/atomic"
)

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
		s.mu.Lock()
		if c, ok = s.views[page]; !ok {
			c = new(atomic.Int64)
			s.views[page] = c
		}
		s.mu.Unlock()
	}
	c.Add(1)
}

func (s *Stats) Get(page string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if c, ok := s.views[page]; ok {
		return c.Load()
	}
	return 0
}

func (s *Stats) Snapshot() map[string]int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	snap := make(map[string]int64, len(s.views))
	for page, c := range s.views {
		snap[page] = c.Load()
	}
	return snap
}
