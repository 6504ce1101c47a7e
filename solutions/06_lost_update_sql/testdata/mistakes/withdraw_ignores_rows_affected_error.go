// Mistake: Withdraw drops the error of RowsAffected ("SQLite always knows").
//
// modernc.org/sqlite never fails RowsAffected, so the shortcut works here
// today; but database/sql lets a driver fail it, and then n is 0. Withdraw
// reads that as "the UPDATE changed nothing", looks for the account, and
// answers ErrInsufficientFunds: a wrong refusal that hides the database's
// error.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: the error of RowsAffected was dropped

package lostupdatesql

import (
	"context"
	"fmt"
)

func (b *Bank) Withdraw(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInvalidAmount)
	}
	b.aboutToWrite()
	// The check is part of the write: the row is changed only if it still
	// has the money at the moment of the write.
	res, err := b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ? AND balance >= ?`,
		amount, id, amount)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected() // SQLite always knows the count
	if n == 1 {
		return nil
	}
	// No row changed: either there is no such account, or it has too
	// little. Which one does not depend on a race: accounts are never
	// deleted.
	if err := b.exists(ctx, b.db, id); err != nil {
		return fmt.Errorf("withdraw from %q: %w", id, err)
	}
	return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInsufficientFunds)
}
