// Mistake: the Results channel is never closed.
//
// Shutdown returns nil and every result was sent, so a test that counts
// results passes. But a reader ranging over Results, the usual way to
// read it, waits forever after the last one: the "end" event never fires.
//
// Replaces: shutdown.go
// Kind: test failed
// Expect: results channel was never closed

package workerpool

func (p *Pool) finish() {
	p.senders.Wait()
	close(p.jobs)
	p.workers.Wait()
	close(p.done)
}
