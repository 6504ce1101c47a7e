// Mistake: each worker counts itself in the WaitGroup only once it runs.
//
// The Add is inside the goroutine it counts. New returns before the
// workers have run, so an early Shutdown can find the count at zero,
// close Results and return while the jobs still run. It almost never
// shows in a test, which is why go vet checks for it.
//
// Replaces: worker.go
// Kind: test failed
// Expect: Add racing Wait

package workerpool

func (p *Pool) startWorkers(n int) {
	for range n {
		go func() {
			p.workers.Add(1)
			defer p.workers.Done()
			p.work()
		}()
	}
}
