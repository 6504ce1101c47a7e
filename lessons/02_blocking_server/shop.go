// Package blockingserver is lesson 02: an HTTP handler whose requests share
// state. A lock must guard the shared state and nothing else: a handler that
// holds the only lock while it waits for slow I/O makes every other request
// wait in line behind it.
package blockingserver

import (
	"context"
	"encoding/json"
	"errors"
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
	// TODO: this lock makes the shop serve one request at a time, like a
	// synchronous server: while one request waits for the catalog, or for a
	// slow client to read its response, every other request waits here.
	// Remove it, and lock s.mu only where the handlers touch views and recent.
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mux.ServeHTTP(w, r)
}

// product serves GET /products/{id}.
func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := s.catalog.Lookup(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	// TODO: count one view of id and record id as the newest recent view,
	// keeping only the last RecentLimit. Hold s.mu while you do, and only
	// while you do.
	writeJSON(w, p)
}

// stats serves GET /stats.
func (s *Shop) stats(w http.ResponseWriter, r *http.Request) {
	// TODO: copy views and recent (newest first) with s.mu held, so that the
	// snapshot is consistent, then unlock and write the copy.
	writeJSON(w, Stats{Views: map[string]int{}, Recent: []string{}})
}

// Views returns how many times product id has been viewed successfully.
// It may be called at any time, from any goroutine.
func (s *Shop) Views(id string) int {
	// TODO: read the count with s.mu held.
	return 0
}

// RecentViews returns the last RecentLimit product ids viewed, newest first,
// in a new slice that the caller owns: changing it changes nothing in the
// Shop. It may be called at any time, from any goroutine.
func (s *Shop) RecentViews() []string {
	// TODO: copy the recent views, newest first, with s.mu held.
	return []string{}
}

// writeJSON writes v as the JSON body of a 200 response. Writing sends data
// to the client, which may be slow to read it: it is I/O, like a catalog
// lookup.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	// An error here means the client has gone away: nothing more to do.
	_ = json.NewEncoder(w).Encode(v)
}
