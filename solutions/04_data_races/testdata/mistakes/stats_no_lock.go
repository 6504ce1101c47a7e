// Mistake: the stats map has no lock at all.
//
// In Node.js this code is fine, because one thread runs every handler. In
// Go, handlers run in parallel goroutines and write the map at the same
// moment: views get lost, and the runtime may stop the whole program with
// "fatal error: concurrent map writes".
//
// Replaces: stats.go
// Kind: data race
// Expect: data race on the stats map

package dataraces

// Stats counts views per page.
type Stats struct {
	views map[string]int64
}

func (s *Stats) Record(page string) {
	s.views[page]++
}

// Get returns the views of page counted so far.
func (s *Stats) Get(page string) int64 {
	return s.views[page]
}

// Snapshot returns the views of every recorded page.
func (s *Stats) Snapshot() map[string]int64 {
	snap := make(map[string]int64, len(s.views))
	for page, views := range s.views {
		snap[page] = views
	}
	return snap
}
