// Mistake: Snapshot copies the map after Unlock.
//
// It returns a fresh map, so the caller owns its result and every
// sequential check passes. But the copy loop reads the shared map after
// the lock is released, while Record may be writing it: the same race as
// handing the map out, moved inside Snapshot.
//
// Replaces: stats.go
// Kind: data race
// Expect: data race on the stats map after Unlock
// Expect: Stats.Snapshot

package dataraces

import "sync"

// Stats counts views per page.
type Stats struct {
	mu    sync.Mutex // protects views
	views map[string]int64
}

// Get returns the views of page counted so far.
func (s *Stats) Get(page string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.views[page]
}

// Snapshot returns the views of every recorded page.
func (s *Stats) Snapshot() map[string]int64 {
	s.mu.Lock()
	views := s.views
	s.mu.Unlock()

	snap := make(map[string]int64, len(views))
	for page, n := range views {
		snap[page] = n
	}
	return snap
}
