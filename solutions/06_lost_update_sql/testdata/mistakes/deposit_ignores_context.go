// Mistake: Deposit runs its UPDATE with context.Background() instead of ctx.
//
// The arithmetic is right and every race is handled in the database, but
// the caller's context never reaches the database: a request that was
// cancelled, or whose deadline passed, still deposits. Nothing in a
// test that never cancels shows it.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: a context that was already cancelled

package lostupdatesql

import (
	"context"
	"fmt"
)

func (b *Bank) Deposit(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("deposit %d to %q: %w", amount, id, ErrInvalidAmount)
	}
	b.aboutToWrite()
	// One statement: SQLite reads and writes the row under its write lock,
	// so no other write can come between the read and the write.
	res, err := b.db.ExecContext(context.Background(),
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("deposit to %q: %w", id, ErrNoAccount)
	}
	return nil
}
