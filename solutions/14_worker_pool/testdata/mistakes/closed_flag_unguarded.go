// Mistake: Submit reads the closed flag without the lock.
//
// "It is only a bool" is the reasoning: a Submit reads it while Shutdown
// writes it, with nothing ordering the two, which is a data race. It also
// lets a Submit that read false join the senders after Shutdown has
// started waiting for them.
//
// Replaces: pool.go
// Kind: data race
// Expect: WARNING: DATA RACE

package workerpool

import "context"

func (p *Pool) Submit(ctx context.Context, job Job) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.closed { // a bool: no lock needed (wrong)
		return ErrClosed
	}
	p.senders.Add(1)
	defer p.senders.Done()

	select {
	case p.jobs <- job:
		return nil
	case <-p.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}
