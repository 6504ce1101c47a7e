package boundedconcurrency

import (
	"context"
	"errors"
)

// ErrPanic is wrapped by the error Wait returns for a function that
// panicked.
var ErrPanic = errors.New("boundedconcurrency: function panicked")

// A Limiter runs functions in goroutines, at most k at a time. It is the Go
// shape of Node's p-limit: limiter.Go(ctx, f) is limit(() => f()).
//
// Use NewLimiter to make one. Go may be called from several goroutines at
// once; Wait is called once, after the last Go.
type Limiter struct {
	// TODO: a channel with room for k tokens is the semaphore: sending
	// takes a slot, receiving frees one. Add what Wait needs.
}

// NewLimiter returns a Limiter that runs at most k functions at once. It
// panics if k is less than 1, because such a limiter could never run
// anything.
func NewLimiter(k int) *Limiter {
	// TODO: make the semaphore.
	return &Limiter{}
}

// Go waits until fewer than k of the functions it started are running,
// then starts f in a goroutine of its own and returns nil. So a function's
// goroutine exists only once it has a slot: a loop that calls Go a
// thousand times never has more than k of them.
//
// If ctx is done when Go is called, or becomes done while Go waits for a
// slot, Go returns ctx.Err() and f never runs.
//
// When f returns, or panics, its slot is free at once. A panic does not
// crash the program: Wait reports it as an error that wraps ErrPanic and
// shows the panic's value.
func (l *Limiter) Go(ctx context.Context, f func() error) error {
	// TODO: take a slot (or give up when ctx is done), then start f.
	return nil
}

// Wait waits until every function started by Go has returned and returns
// their errors joined (errors.Join), or nil if none failed.
func (l *Limiter) Wait() error {
	// TODO: wait for the functions and return their errors.
	return nil
}
