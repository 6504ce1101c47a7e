// Mistake: the workers return as soon as Shutdown is called, leaving the queue.
//
// A select on a quit channel is the usual way to stop a goroutine, so it
// looks right here too. But the jobs still in the queue were accepted: they
// never run, their results never come, and Shutdown reports success.
//
// Replaces: worker.go
// Kind: test failed
// Expect: jobs lost at shutdown

package workerpool

func (p *Pool) work() {
	for {
		select {
		case <-p.quit:
			return
		case job, ok := <-p.jobs:
			if !ok {
				return
			}
			p.results <- run(job)
		}
	}
}
