package parallelcalls

import "context"

// Try calls call(ctx) and returns what it returns. If the call panics, Try
// stops the panic there: it recovers it and returns "" and a *PanicError
// whose Call is i and whose Value is the value the call panicked with.
//
// A panic ends only the goroutine it happens in, and only a deferred
// recover in that same goroutine can stop it. Call Try inside the goroutine
// that makes the call, not around the code that starts the goroutine.
func Try(ctx context.Context, i int, call Call) (result string, err error) {
	defer func() {
		if v := recover(); v != nil {
			result, err = "", &PanicError{Call: i, Value: v}
		}
	}()
	return call(ctx)
}
