// Mistake: the state is updated without the lock.
//
// The lookup and the write run with no lock held, as they should, but the
// view count and the recent views are updated with no lock either. Two
// requests that finish at the same time write the map and the slice at the
// same time: a data race that loses views or corrupts the recent list. The
// reads lock s.mu, which protects nothing when the writes do not.
//
// Replaces: shop.go
// Kind: data race
// Expect: WARNING: DATA RACE

package blockingserver

func (s *Shop) recordView(id string) {
	s.views[id]++
	if len(s.recent) == RecentLimit {
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append(s.recent, id)
}
