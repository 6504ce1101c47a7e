// Mistake: a busy lock drops the view instead of waiting (TryLock).
//
// A learner who read "requests never wait for each other" makes recordView
// `if !s.mu.TryLock() { return }`: no request ever waits, and a view recorded
// while /stats or another view holds the lock is lost. Under contention the
// count is low. Only caught if two updates really contend at the same moment.
// A test must hold s.mu (or a reader) while a view is recorded and check the
// count afterwards.
//
// Replaces: shop.go
// Kind: test failed
// Expect: views lost

package blockingserver

func (s *Shop) recordView(id string) {
	if !s.mu.TryLock() {
		return
	}

	defer s.mu.Unlock()
	s.views[id]++
	if len(s.recent) == RecentLimit {
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append(s.recent, id)
}
