package workerpool

import (
	"context"
	"fmt"
	"sync"
)

// A Pool runs jobs on a fixed number of worker goroutines. Jobs wait in a
// queue of fixed size until a worker is free; every job the pool accepts
// produces exactly one Result on the Results channel.
//
// Use New to make one. Submit may be called from several goroutines at
// once, also while Shutdown runs.
type Pool struct {
	jobs    chan Job      // the queue; closed once no Submit can send on it
	results chan Result   // closed after the last worker's last result
	quit    chan struct{} // closed when Shutdown is first called: intake stops
	done    chan struct{} // closed after results: every job is done

	mu      sync.Mutex
	closed  bool           // set by Shutdown; guarded by mu
	senders sync.WaitGroup // the Submits that may still send on jobs

	workers  sync.WaitGroup // the worker goroutines (worker.go)
	shutdown sync.Once      // the first Shutdown's work (shutdown.go)
}

// New starts a pool of workers goroutines with room for queue jobs waiting
// in its queue. With queue 0, a job is accepted only once a worker takes
// it. New panics if workers is less than 1 or queue is negative.
//
// The workers start at once and run until Shutdown: there are always
// exactly workers of them, however many jobs are submitted, and a job that
// panics does not stop its worker.
func New(workers, queue int) *Pool {
	if workers < 1 || queue < 0 {
		panic(fmt.Sprintf("workerpool: New(%d, %d): need at least 1 worker and a queue of 0 or more", workers, queue))
	}
	p := &Pool{
		jobs:    make(chan Job, queue),
		results: make(chan Result),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	p.startWorkers(workers)
	return p
}

// Submit puts job in the queue and returns nil: the job will run, even if
// Shutdown is called right after. When the queue is full, Submit waits
// until there is room; it never drops the job.
//
// Submit returns ctx.Err() if ctx is done before the job is in the queue
// (already when Submit is called, or while it waits for room), and
// ErrClosed once Shutdown has been called, including for a Submit that was
// waiting for room when Shutdown began. A job for which Submit returns an
// error never runs. Submit never panics.
func (p *Pool) Submit(ctx context.Context, job Job) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	// Counted under the lock that Shutdown takes to set closed: once
	// closed is set, no Submit can join, so Shutdown's Wait for the senders
	// never races an Add.
	p.senders.Add(1)
	p.mu.Unlock()
	defer p.senders.Done()

	select {
	case p.jobs <- job:
		return nil
	case <-p.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Results returns the channel on which the pool sends one Result for every
// job it accepted, in the order the jobs finish. The caller must receive
// from it until it is closed: a worker waits until its result is taken
// before it runs its next job. The channel is closed after Shutdown has
// been called and the last result has been received, never before.
func (p *Pool) Results() <-chan Result {
	return p.results
}
