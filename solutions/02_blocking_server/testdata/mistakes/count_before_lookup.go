// Mistake: the view is counted before the lookup.
//
// To keep the critical section away from the slow call, the handler counts
// the view first and looks the product up afterwards. The lock is short and
// the requests overlap, but a product that does not exist, or a lookup that
// fails, is counted as a view all the same: the state says something that
// never happened.
//
// Replaces: shop.go
// Kind: test failed
// Expect: a failed lookup was counted as a view

package blockingserver

import (
	"errors"
	"net/http"
)

func (s *Shop) product(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.recordView(id)
	p, err := s.catalog.Lookup(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, p)
}
