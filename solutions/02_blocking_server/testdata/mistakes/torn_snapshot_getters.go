// Mistake: the /stats snapshot is built from two getters that each lock once.
//
// snapshot() returns Stats{Views: s.viewsCopy(), Recent: s.RecentViews()}:
// each copy is consistent, the pair is from two instants. A view recorded
// between the two calls appears in Recent but not in Views, so
// len(Recent) can exceed min(total views, RecentLimit) (class E, the issue's
// example). A test must force a recordView between the two reads of one
// snapshot and check the invariant.
//
// Replaces: shop.go
// Kind: test failed
// Expect: a snapshot taken at two instants is torn

package blockingserver

import "maps"

func (s *Shop) snapshot() Stats {
	return Stats{Views: s.viewsCopy(), Recent: s.RecentViews()}
}

func (s *Shop) viewsCopy() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.views)
}
