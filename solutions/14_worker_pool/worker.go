package workerpool

import "fmt"

// startWorkers starts n worker goroutines, each running work, and counts
// them in p.workers before they start, so that Shutdown can wait for them.
func (p *Pool) startWorkers(n int) {
	for range n {
		p.workers.Go(p.work)
	}
}

// work takes jobs from the queue, one at a time, runs each and sends its
// result, until the queue is closed and empty. A job that panics fails
// alone: the worker sends its result and takes the next job.
func (p *Pool) work() {
	for job := range p.jobs {
		p.results <- run(job)
	}
}

// run runs one job and returns its result. A panic in job.Run becomes the
// result's Err, wrapping ErrPanic and showing the panic's value.
func run(job Job) (r Result) {
	r.ID = job.ID
	defer func() {
		if v := recover(); v != nil {
			r.Value, r.Err = "", fmt.Errorf("%w: job %d: %v", ErrPanic, job.ID, v)
		}
	}()
	r.Value, r.Err = job.Run()
	return r
}
