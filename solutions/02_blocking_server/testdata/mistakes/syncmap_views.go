// Mistake: views live in a sync.Map of atomic counters; only recent is under mu.
//
// A Go engineer reaches for sync.Map + atomic.Int64 for the hot counter and
// keeps mu for the recent slice. Views(id) and the counts are never torn as
// single values, but a view is two updates in two synchronisation domains:
// /stats can see the count without its recent view, or the reverse (class F,
// forcing and source check tied to a mutex design; class E). The doc says the
// shared state is only read and written with mu held. A test must force a
// /stats read between the count and the recent write.
//
// Replaces: shop.go
// Kind: test failed
// Expect: torn snapshot

package blockingserver

import (
	"net/http"
	"sync"
	"sync/atomic"
)

type Shop struct {
	catalog Catalog
	mux     *http.ServeMux

	mu     sync.Mutex // protects recent
	views  sync.Map   // product id -> *atomic.Int64
	recent []string   // the latest views, oldest first, at most RecentLimit
}

func NewShop(catalog Catalog) *Shop {
	s := &Shop{
		catalog: catalog,
		mux:     http.NewServeMux(),
	}
	s.mux.HandleFunc("GET /products/{id}", s.product)
	s.mux.HandleFunc("GET /stats", s.stats)
	return s
}

func (s *Shop) recordView(id string) {
	c, _ := s.views.LoadOrStore(id, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.recent) == RecentLimit {
		copy(s.recent, s.recent[1:])
		s.recent = s.recent[:RecentLimit-1]
	}
	s.recent = append(s.recent, id)
}

func (s *Shop) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	views := map[string]int{}
	s.views.Range(func(k, v any) bool {
		views[k.(string)] = int(v.(*atomic.Int64).Load())
		return true
	})
	return Stats{Views: views, Recent: s.recentLocked()}
}

func (s *Shop) Views(id string) int {
	if c, ok := s.views.Load(id); ok {
		return int(c.(*atomic.Int64).Load())
	}
	return 0

}
