// Mistake: one lock around the whole handler, a global lock per request.
//
// ServeHTTP locks s.mu before it routes the request and unlocks it when the
// response is written, so the state is always safe and the handlers need no
// locks of their own. It is also a synchronous server: the catalog lookup and
// the write to the client happen with the lock held, so every request waits
// for the one before it. With one client at a time, nobody notices.
//
// Replaces: shop.go
// Kind: test failed
// Expect: a global lock per request
// Expect: I/O under the lock

package blockingserver

import (
	"errors"
	"maps"
	"net/http"
)

func (s *Shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// One request at a time: the handlers below may touch the state freely.
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mux.ServeHTTP(w, r)
}

func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := s.catalog.Lookup(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	s.recordView(id)
	writeJSON(w, p)
}

func (s *Shop) recordView(id string) {
	s.views[id]++
	if len(s.recent) == RecentLimit {
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append(s.recent, id)
}

func (s *Shop) snapshot() Stats {
	return Stats{Views: maps.Clone(s.views), Recent: s.recentLocked()}
}
