// Mistake: Withdraw's guard is `balance > ?` instead of `balance >= ?`.
//
// Every race is handled in the database and nothing is ever overdrawn, but
// a withdrawal of the whole balance is refused with ErrInsufficientFunds,
// although "only if the balance stays zero or more" allows it. Tests that
// only withdraw less than the balance, or far more, never see it.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: the whole balance was refused

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
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ? AND balance > ?`,
		amount, id, amount)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
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
