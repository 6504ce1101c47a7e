// Mistake: the view count and the recent view are two critical sections.
//
// recordView locks s.mu, counts the view, unlocks, then locks again to
// append the recent view. Each write is safe alone, and -race is silent,
// but a GET /stats that takes the lock between the two sees the count
// without its recent view: a torn snapshot.
//
// Replaces: shop.go
// Kind: test failed
// Expect: two critical sections

// Package blockingserver is lesson 02: an HTTP handler whose requests share
// state. A lock must guard the shared state and nothing else: a handler that
// holds the only lock while it waits for slow I/O makes every other request
// wait in line behind it.
package blockingserver

func (s *Shop) recordView(id string) {
	s.mu.Lock()
	s.views[id]++
	s.mu.Unlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.recent) == RecentLimit {
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append(s.recent, id)
}
