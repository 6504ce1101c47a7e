// Mistake: the recover is around the worker loop, so a panic ends that worker.
//
// The panic is recovered and reported, so nothing crashes. But the
// deferred recover runs when work returns: the loop is over and the worker
// is gone. After as many panics as workers, the pool runs nothing.
//
// Replaces: worker.go
// Kind: test failed
// Expect: one panic kills a worker

package workerpool

import "fmt"

func (p *Pool) work() {
	var current Job
	defer func() {
		if v := recover(); v != nil {
			p.results <- Result{ID: current.ID, Err: fmt.Errorf("%w: job %d: %v", ErrPanic, current.ID, v)}
		}
	}()
	for job := range p.jobs {
		current = job
		p.results <- job.result()
	}
}

func (job Job) result() Result {
	v, err := job.Run()
	return Result{ID: job.ID, Value: v, Err: err}
}
