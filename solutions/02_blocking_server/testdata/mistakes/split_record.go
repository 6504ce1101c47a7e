// Mistake: the view count and the recent view are two critical sections.
//
// recordView locks s.mu, counts the view, unlocks, then locks again to
// append the recent view. Each write is safe alone, and -race is silent,
// but a GET /stats that takes the lock between the two sees the count
// without its recent view: a torn snapshot.
//
// Replaces: shop.go
// Expect: two critical sections

// Package blockingserver is lesson 02: an HTTP handler whose requests share
// state. A lock must guard the shared state and nothing else: a handler that
// holds the only lock while it waits for slow I/O makes every other request
// wait in line behind it.
package blockingserver

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"sync"
)

// ErrNotFound is what a Catalog returns, possibly wrapped, when it has no
// product with the id it was asked for.
var ErrNotFound = errors.New("product not found")

// A Product is what the shop shows on a product page.
type Product struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	PriceCents int    `json:"price_cents"`
}

// A Catalog is the slow backend that knows the products: a database or
// another service across the network. One lookup can take hundreds of
// milliseconds.
//
// A Catalog is safe for concurrent use: any number of lookups may be in
// flight at once, and each takes as long as it takes, whatever the others do.
type Catalog interface {
	// Lookup returns the product with the given id. It returns an error
	// wrapping ErrNotFound if there is no such product, and another error if
	// the catalog could not answer. It gives up early, with ctx.Err(), when
	// ctx is cancelled.
	Lookup(ctx context.Context, id string) (Product, error)
}

// RecentLimit is how many of the latest views a Shop remembers.
const RecentLimit = 5

// Stats is the body of a GET /stats response: a snapshot of the shop's
// shared state, taken at one instant.
type Stats struct {
	Views  map[string]int `json:"views"`  // successful views per product id
	Recent []string       `json:"recent"` // the last RecentLimit product ids viewed, newest first
}

// A Shop is the http.Handler of a small shop front. It serves
//
//	GET /products/{id}  200 and the Product as JSON. 404 if the catalog has
//	                    no such product (ErrNotFound), 502 Bad Gateway if the
//	                    catalog failed. Each 200 counts one view of the
//	                    product and records it as the newest recent view;
//	                    a 404 or a 502 changes nothing.
//	GET /stats          200 and the Stats as JSON. In one snapshot, Recent
//	                    has min(total views, RecentLimit) entries.
//
// and 404 or 405 for anything else.
//
// A Shop is safe for concurrent use, as every http.Handler must be: a Go
// HTTP server calls ServeHTTP from a goroutine of its own for each request.
// Requests never wait for each other's I/O: a catalog lookup in flight, or a
// client that is slow to read its response, delays no other request. The
// state that requests share (the view counts and the recent views) is only
// read and written with mu held.
//
// Make a Shop with NewShop; the zero Shop is not usable. NewShop starts no
// goroutines.
type Shop struct {
	catalog Catalog
	mux     *http.ServeMux

	mu     sync.Mutex     // protects views and recent
	views  map[string]int // successful views per product id
	recent []string       // the latest views, oldest first, at most RecentLimit
}

// NewShop returns a Shop that looks products up in catalog.
func NewShop(catalog Catalog) *Shop {
	s := &Shop{
		catalog: catalog,
		mux:     http.NewServeMux(),
		views:   make(map[string]int),
	}
	s.mux.HandleFunc("GET /products/{id}", s.product)
	s.mux.HandleFunc("GET /stats", s.stats)
	return s
}

// ServeHTTP answers one request. It may be called from many goroutines at
// once.
func (s *Shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// No lock here: each handler locks s.mu around the state it touches.
	s.mux.ServeHTTP(w, r)
}

// product serves GET /products/{id}.
func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// No lock is held during the lookup: other requests go on meanwhile.
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
	// No lock is held while writing: a slow client delays only itself.
	writeJSON(w, p)
}

// recordView counts one view of id and makes it the newest recent view,
// in one critical section, so that /stats never sees one without the other.
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

// stats serves GET /stats.
func (s *Shop) stats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, s.snapshot()) // encodes the copy, with no lock held
}

// snapshot copies the shared state with s.mu held. The copy shares no
// memory with the Shop, so it may be read after the lock is released.
func (s *Shop) snapshot() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Views: maps.Clone(s.views), Recent: s.recentLocked()}
}

// Views returns how many times product id has been viewed successfully.
// It may be called at any time, from any goroutine.
func (s *Shop) Views(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.views[id]
}

// RecentViews returns the last RecentLimit product ids viewed, newest first,
// in a new slice that the caller owns: changing it changes nothing in the
// Shop. It may be called at any time, from any goroutine.
func (s *Shop) RecentViews() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recentLocked()
}

// recentLocked returns the recent views, newest first, in a new slice.
// s.mu must be held.
func (s *Shop) recentLocked() []string {
	out := make([]string, len(s.recent))
	for i, id := range s.recent {
		out[len(out)-1-i] = id
	}
	return out
}

// writeJSON writes v as the JSON body of a 200 response. Writing sends data
// to the client, which may be slow to read it: it is I/O, like a catalog
// lookup.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	// An error here means the client has gone away: nothing more to do.
	_ = json.NewEncoder(w).Encode(v)
}
