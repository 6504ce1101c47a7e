// Mistake: Try counts the panics in a package variable, unlocked.
//
// A counter for the metrics page, Panics++ on the recover path. Try runs
// in every call's goroutine, so two calls that panic at the same moment
// increment it at once: a data race only on the panic path, which a test
// with one panic never shows. In Node a module-level counter is safe; in
// Go it needs an atomic or a lock.
//
// Replaces: try.go
// Kind: data race
// Expect: WARNING: DATA RACE

package parallelcalls

import "context"

func Try(ctx context.Context, i int, call Call) (result string, err error) {
	defer func() {
		if v := recover(); v != nil {
			Panics++
			result, err = "", &PanicError{Call: i, Value: v}
		}
	}()
	return call(ctx)
}

// Panics counts the panics Try recovered, for the metrics page.
var Panics int
