// Mistake: the view is counted and room made for it in one critical section, and appended in a second.
//
// recordView locks s.mu, counts the view and drops the oldest recent view
// if the list is full, unlocks, then locks again to append the new one. The
// writes of recent sit on both sides of the gap, so it looks like one
// update of recent; but a GET /stats that takes the lock between the two
// sees the count without its recent view (and, with the list full, one
// recent view too few): a torn snapshot.
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
	if len(s.recent) == RecentLimit { // make room for the new view
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.mu.Unlock()

	s.mu.Lock()
	s.recent = append(s.recent, id)
	s.mu.Unlock()
}
