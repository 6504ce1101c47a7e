package dataraces

import (
	"maps"
	"sync"
)

// Stats counts views per page, such as "/home" or "/pricing". Request
// handlers call Record for every request; a dashboard calls Get and
// Snapshot while they do.
//
// Create Stats with NewStats. All methods are safe for concurrent use.
type Stats struct {
	mu    sync.Mutex       // protects views
	views map[string]int64 // page -> views; never leaves the lock
}

// NewStats returns Stats with no views recorded.
func NewStats() *Stats {
	return &Stats{views: make(map[string]int64)}
}

// Record counts one view of page.
func (s *Stats) Record(page string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.views[page]++
}

// Get returns the views of page counted so far, or 0 for a page that was
// never recorded.
func (s *Stats) Get(page string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.views[page]
}

// Snapshot returns the views of every recorded page, as they were at one
// instant. The map is new and belongs to the caller: the caller may read it
// and change it at any time, and later calls to Record do not change it.
// Snapshot never returns nil.
func (s *Stats) Snapshot() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := make(map[string]int64, len(s.views))
	maps.Copy(snap, s.views)
	return snap
}
