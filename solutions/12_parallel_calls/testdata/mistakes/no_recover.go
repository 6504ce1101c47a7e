// Mistake: Try does not recover the panic.
//
// The call is made in the right goroutine, but nothing defers a recover
// there, so the panic unwinds the goroutine and ends the whole program:
// one nil map in one service takes the server down with every request in
// flight. errgroup does not recover panics for you.
//
// Replaces: try.go
// Kind: panic
// Expect: killed the whole program

package parallelcalls

import "context"

// Try calls call(ctx) and returns what it returns.
func Try(ctx context.Context, i int, call Call) (string, error) {
	return call(ctx)
}
