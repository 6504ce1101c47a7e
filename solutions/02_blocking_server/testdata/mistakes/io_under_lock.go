// Mistake: the catalog lookup runs with the lock held.
//
// The product handler locks s.mu, asks the catalog, updates the state and
// unlocks. The state is safe and the response is written after unlocking,
// but every other request, for any product and for /stats, waits while one
// lookup crosses the network. Fast in development, where the catalog
// answers in a millisecond; a queue in production.
//
// Replaces: shop.go
// Removes: Shop.recordView
// Kind: test failed
// Expect: I/O under the lock: requests waited for each other

package blockingserver

import (
	"errors"
	"net/http"
)

func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	p, err := s.catalog.Lookup(r.Context(), id)
	if err == nil {
		s.views[id]++
		if len(s.recent) == RecentLimit {
			copy(s.recent, s.recent[1:])
			s.recent = s.recent[:RecentLimit-1]
		}
		s.recent = append(s.recent, id)
	}
	s.mu.Unlock()
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, p)
}
