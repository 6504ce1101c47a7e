// Mistake: the recent views grow without bound; reads take the last RecentLimit.
//
// recordView appends and never trims; RecentViews and /stats copy the last
// RecentLimit entries. Every answer is right, but the field comment says
// "at most RecentLimit" and the shop keeps every view it ever served: a memory
// leak in a long-running server, and recordView gets slower as it copies on
// growth. A doc promise no test checks (class A, 'far more items than a cap').
// A test after 5,000 views can look at len(s.recent) (the test is in the package)
// or at the heap.
//
// Replaces: shop.go
// Kind: test failed
// Expect: at most RecentLimit recent views kept

package blockingserver

func (s *Shop) recordView(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.views[id]++
	s.recent = append(s.recent, id)
}

func (s *Shop) recentLocked() []string {
	last := s.recent[max(0, len(s.recent)-RecentLimit):]
	out := make([]string, len(last))
	for i, id := range last {
		out[len(out)-1-i] = id
	}
	return out
}
