// Mistake: Record writes the map under RLock.
//
// Record takes only the read lock ("it's just an increment"). Two Records at
// once write the map together: a data race, lost views, and possibly
// "concurrent map writes". -race reports it; TestStats_RecordTakesTheWriteLock
// names it from the source without -race.
//
// Replaces: stats.go
// Kind: data race
// Expect: a write under RLock
// Expect: DATA RACE

package dataraces

import (
	"maps"
	"sync"
)

type Stats struct {
	mu    sync.RWMutex
	views map[string]int64
}

func NewStats() *Stats { return &Stats{views: make(map[string]int64)} }

func (s *Stats) Record(page string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.views[page]++
}

func (s *Stats) Get(page string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.views[page]
}

func (s *Stats) Snapshot() map[string]int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.views)
}
