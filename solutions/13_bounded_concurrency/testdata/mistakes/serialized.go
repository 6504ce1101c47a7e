// Mistake: the "fix" runs the calls one after another.
//
// It certainly stops hammering the database: one call at a time is a
// limit too. But the limit is there to allow limit calls at once, and
// one after another the job takes limit times longer.
//
// Replaces: limit.go
// Kind: test failed
// Expect: run one after another

package boundedconcurrency

import "context"

func ForEach(ctx context.Context, n, limit int, query Query) error {
	if limit < 1 {
		return ErrLimit
	}
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := query(ctx, i); err != nil {
			return err
		}
	}
	return nil
}
