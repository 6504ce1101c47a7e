// Mistake: Shutdown stops intake and returns without waiting.
//
// Like calling an async close() without await: the pool stops taking
// jobs, Shutdown returns nil, and the program exits while jobs still run
// and their results are lost.
//
// Replaces: shutdown.go
// Kind: test failed
// Expect: Shutdown did not wait for the jobs

package workerpool

import "context"

func (p *Pool) Shutdown(ctx context.Context) error {
	p.shutdown.Do(func() {
		p.mu.Lock()
		p.closed = true // no Submit passes its check from now on
		p.mu.Unlock()
		close(p.quit) // and the ones waiting for room give up
		go p.finish()
	})
	return nil
}
