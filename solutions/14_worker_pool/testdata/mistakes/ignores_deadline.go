// Mistake: Shutdown waits for the pool however long it takes.
//
// The ctx parameter is there but never read. A deploy that gives the
// old process 30 seconds to stop waits forever on one stuck job instead,
// until something kills it from outside.
//
// Replaces: shutdown.go
// Kind: deadlock or hang
// Expect: ignores its deadline

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
	<-p.done
	return nil
}
