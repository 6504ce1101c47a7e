// Mistake: a lock per product, held across the lookup.
//
// Each product id gets a mutex of its own, held while its product is looked
// up and its view counted, so shoppers of different products no longer wait
// for each other. Shoppers of the same product still do, one lookup at a
// time: on a flash sale, the one product everybody wants is served one
// shopper at a time. Keyed locks are a fine tool for state per key, not for
// waiting on I/O.
//
// Replaces: shop.go
// Kind: test failed
// Expect: A lock per product held across the lookup

package blockingserver

import (
	"errors"
	"net/http"
	"sync"
)

type Shop struct {
	catalog Catalog
	mux     *http.ServeMux

	mu     sync.Mutex             // protects views, recent and locks
	locks  map[string]*sync.Mutex // one per product id, held during its lookup
	views  map[string]int         // successful views per product id
	recent []string               // the latest views, oldest first, at most RecentLimit
}

func NewShop(catalog Catalog) *Shop {
	s := &Shop{
		catalog: catalog,
		mux:     http.NewServeMux(),
		views:   make(map[string]int),
		locks:   make(map[string]*sync.Mutex),
	}
	s.mux.HandleFunc("GET /products/{id}", s.product)
	s.mux.HandleFunc("GET /stats", s.stats)
	return s
}

func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	l := s.lockFor(id)
	l.Lock()
	defer l.Unlock()
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

// lockFor returns the mutex of product id, making it on first use.
func (s *Shop) lockFor(id string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[id]
	if !ok {
		l = new(sync.Mutex)
		s.locks[id] = l
	}
	return l
}
