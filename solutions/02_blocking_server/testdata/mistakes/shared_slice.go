// Mistake: RecentViews hands out the shop's own slice.
//
// The shop keeps its recent views newest first, so RecentViews can return
// them as they are, with the lock held for the read. But what leaves the
// critical section is the slice itself: the caller reads it with no lock
// held while the next request changes it, and can even change the shop's
// state by writing to it.
//
// Replaces: shop.go
// Removes: Shop.recentLocked
// Kind: test failed
// Expect: returned the shop's own slice

package blockingserver

import (
	"maps"
	"net/http"
	"slices"
	"sync"
)

type Shop struct {
	catalog Catalog
	mux     *http.ServeMux

	mu     sync.Mutex     // protects views and recent
	views  map[string]int // successful views per product id
	recent []string       // the latest views, newest first, at most RecentLimit
}

func (s *Shop) recordView(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.views[id]++
	if len(s.recent) == RecentLimit {
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append([]string{id}, s.recent...)
}

func (s *Shop) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Views: maps.Clone(s.views), Recent: slices.Clone(s.recent)}
}

func (s *Shop) RecentViews() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recent
}
