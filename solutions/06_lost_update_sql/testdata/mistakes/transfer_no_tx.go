// Mistake: Transfer is two atomic statements, but no transaction.
//
// Each UPDATE is safe on its own: the debit checks the balance in its
// WHERE, so concurrent transfers never overdraw. But each statement commits
// by itself. When the credit fails after the debit committed, the money has
// left one account and arrived nowhere.
//
// Replaces: transfer.go
// Removes: Bank.transferOnce, isBusy
// Kind: test failed
// Expect: no transaction

package lostupdatesql

import (
	"context"
	"fmt"
)

// txOptions: as in the solution, every transaction begins as a writer.
const txOptions = "&_txlock=immediate"

func (b *Bank) Transfer(ctx context.Context, from, to string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("transfer %d: %w", amount, ErrInvalidAmount)
	}
	if from == to {
		return fmt.Errorf("transfer from %q to %q: %w", from, to, ErrSameAccount)
	}
	if err := b.exists(ctx, b.db, to); err != nil {
		return fmt.Errorf("transfer to %q: %w", to, err)
	}
	b.aboutToWrite()
	res, err := b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ? AND balance >= ?`,
		amount, from, amount)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if err := b.exists(ctx, b.db, from); err != nil {
			return fmt.Errorf("transfer from %q: %w", from, err)
		}
		return fmt.Errorf("transfer %d from %q: %w", amount, from, ErrInsufficientFunds)
	}
	_, err = b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, to)
	return err
}
