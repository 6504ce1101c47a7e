// Mistake: /stats encodes the shop's own map after unlocking.
//
// The handler takes the lock to build its snapshot, but the snapshot holds
// the views map itself, not a copy of it. The JSON encoder then reads the map
// with no lock held, while the next shopper's request writes it: a data race
// that can send a half-updated count, or crash the encoder. With one client at
// a time it always works.
//
// Replaces: shop.go
// Kind: data race
// Expect: WARNING: DATA RACE

package blockingserver

import "net/http"

func (s *Shop) stats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, s.snapshot()) // the lock is released by now
}

// snapshot takes the shared state with s.mu held.
func (s *Shop) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Views: s.views, Recent: s.recentLocked()}
}
