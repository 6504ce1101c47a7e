// Mistake: the WaitGroup counts the jobs while they run, not the workers.
//
// Add when a worker takes a job, Done when its result is sent. Between two
// jobs the count is zero, so Shutdown's Wait returns while jobs are still
// in the queue, and the next Add races that Wait: the race detector
// reports it, Results is closed early, and the worker's next result is a
// send on a closed channel, which crashes the program.
//
// Replaces: worker.go
// Kind: data race
// Expect: WARNING: DATA RACE

package workerpool

func (p *Pool) startWorkers(n int) {
	for range n {
		go p.work()
	}
}

func (p *Pool) work() {
	for job := range p.jobs {
		p.workers.Add(1)
		p.results <- run(job)
		p.workers.Done()
	}
}
