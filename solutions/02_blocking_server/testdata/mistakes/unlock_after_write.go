// Mistake: the lock is still held while the response is written.
//
// The lookup runs with no lock held, then the handler locks s.mu with a
// deferred Unlock, updates the state, and writes the product. The deferred
// Unlock runs only when the handler returns, after the write: a client on a
// slow connection keeps the lock for as long as it takes to receive its
// response, and every other request waits for it.
//
// Replaces: shop.go
// Removes: Shop.recordView
// Kind: test failed
// Expect: the lock was held while writing the response

package blockingserver

import (
	"errors"
	"net/http"
)

func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// No lock is held during the lookup: other requests go on meanwhile.
	p, err := s.catalog.Lookup(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.views[id]++
	if len(s.recent) == RecentLimit {
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append(s.recent, id)
	writeJSON(w, p)
}
