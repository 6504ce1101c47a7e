package workerpool

// startWorkers starts n worker goroutines, each running work, and counts
// them in p.workers before they start, so that Shutdown can wait for them.
func (p *Pool) startWorkers(n int) {
	// TODO: start n goroutines that run p.work, counted before they start.
}

// work takes jobs from the queue, one at a time, runs each and sends its
// result, until the queue is closed and empty. A job that panics fails
// alone: the worker sends its result and takes the next job.
func (p *Pool) work() {
	// TODO: take jobs until the queue is closed and empty; send each
	// job's result.
}

// run runs one job and returns its result. A panic in job.Run becomes the
// result's Err, wrapping ErrPanic and showing the panic's value.
func run(job Job) (r Result) {
	// TODO: run the job; turn a panic into an error that wraps ErrPanic.
	return Result{ID: job.ID}
}
