// Mistake: Snapshot returns the internal map.
//
// Snapshot takes the lock, but all it does under the lock is read a
// pointer: the caller then reads (and may write) the very map that Record
// writes, with no lock at all. The lock protected nothing.
//
// Read while Record writes, the returned map is a data race, and the
// concurrent snapshot tests read it so: -race reports it every run.
//
// Replaces: stats.go
// Kind: data race
// Expect: Snapshot returned the internal map

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
	defer s.mu.Unlock()
	return s.views
}
