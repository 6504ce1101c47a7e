package workerpool

import "context"

// A Pool runs jobs on a fixed number of worker goroutines. Jobs wait in a
// queue of fixed size until a worker is free; every job the pool accepts
// produces exactly one Result on the Results channel.
//
// Use New to make one. Submit may be called from several goroutines at
// once, also while Shutdown runs.
type Pool struct {
	// TODO: the queue (a buffered channel of jobs), the results channel,
	// what Submit and Shutdown share to stop intake without a send on a
	// closed channel, and a sync.WaitGroup that counts the workers
	// (worker.go and shutdown.go use them too).
}

// New starts a pool of workers goroutines with room for queue jobs waiting
// in its queue. With queue 0, a job is accepted only once a worker takes
// it. New panics if workers is less than 1 or queue is negative.
//
// The workers start at once and run until Shutdown: there are always
// exactly workers of them, however many jobs are submitted, and a job that
// panics does not stop its worker.
func New(workers, queue int) *Pool {
	// TODO: refuse a pool that could never run a job, make the channels,
	// and start the workers (startWorkers, in worker.go).
	return &Pool{}
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
	// TODO: give up at once if ctx is done or the pool is shut down; then
	// wait for room in the queue, for Shutdown, or for ctx, whichever
	// comes first.
	return nil
}

// Results returns the channel on which the pool sends one Result for every
// job it accepted, in the order the jobs finish. The caller must receive
// from it until it is closed: a worker waits until its result is taken
// before it runs its next job. The channel is closed after Shutdown has
// been called and the last result has been received, never before.
func (p *Pool) Results() <-chan Result {
	// TODO: return the results channel.
	return nil
}
