package boundedconcurrency

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	slots chan struct{} // a token in the channel is a slot taken
	wg    sync.WaitGroup

	mu   sync.Mutex // guards errs
	errs []error
}

// NewLimiter returns a Limiter that runs at most k functions at once. It
// panics if k is less than 1, because such a limiter could never run
// anything.
func NewLimiter(k int) *Limiter {
	if k < 1 {
		panic(fmt.Sprintf("boundedconcurrency: NewLimiter(%d): k must be at least 1", k))
	}
	return &Limiter{slots: make(chan struct{}, k)}
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
	// With a free slot and a done context both ready, select would pick
	// either: a done context must win.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case l.slots <- struct{}{}: // the slot is taken before the goroutine exists
	case <-ctx.Done():
		return ctx.Err()
	}
	l.wg.Go(func() {
		defer func() { <-l.slots }() // freed on every path, a panic included
		if err := safeCall(f); err != nil {
			l.mu.Lock()
			l.errs = append(l.errs, err)
			l.mu.Unlock()
		}
	})
	return nil
}

// safeCall calls f and turns a panic into an error wrapping ErrPanic.
func safeCall(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrPanic, r)
		}
	}()
	return f()
}

// Wait waits until every function started by Go has returned and returns
// their errors joined (errors.Join), or nil if none failed.
func (l *Limiter) Wait() error {
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.errs...)
}
