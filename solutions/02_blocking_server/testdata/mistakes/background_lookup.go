// Mistake: the lookup runs with context.Background() instead of the request's context.
//
// "The lookup must not be cancelled halfway" reasoning: the handler detaches
// the lookup from the request. When a client hangs up, the catalog call
// (hundreds of milliseconds, a database query) keeps running, and under a
// burst of abandoned requests the catalog is flooded. The Catalog doc says a
// lookup gives up early when its ctx is cancelled; no test cancels a request
// and checks the lookup stopped, until a test sends a request whose
// context is already cancelled to a catalog that waits for ctx.Done.
//
// Replaces: shop.go
// Kind: test failed
// Expect: lookup not cancelled when the client hung up

package blockingserver

import (
	"context"
	"errors"
	"net/http"
)

func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// No lock is held during the lookup: other requests go on meanwhile.
	p, err := s.catalog.Lookup(context.Background(), id)

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
