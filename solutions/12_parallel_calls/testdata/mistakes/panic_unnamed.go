// Mistake: the recovered panic becomes an error that does not name the call.
//
// The program survives, but the caller gets "panic: assignment to entry in
// nil map" out of twenty calls and cannot tell which one broke. The policy
// is an error naming the call: a *PanicError with its index and value.
//
// Replaces: try.go
// Kind: test failed
// Expect: its error does not name the call

package parallelcalls

import (
	"context"
	"fmt"
)

// Try calls call(ctx) and turns a panic into an error.
func Try(ctx context.Context, i int, call Call) (result string, err error) {
	defer func() {
		if v := recover(); v != nil {
			result, err = "", fmt.Errorf("panic: %v", v)
		}
	}()
	return call(ctx)
}
