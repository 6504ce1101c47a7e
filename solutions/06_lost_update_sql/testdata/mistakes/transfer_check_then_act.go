// Mistake: Transfer checks the balance, then debits and credits, outside a transaction.
//
// The writes use balance - ? and balance + ?, so the money adds up, but the
// check is a separate SELECT: two transfers both see 100, both send 70, and
// the sender ends at -40. A failed credit also keeps the debit.
//
// Replaces: transfer.go
// Removes: Bank.transferOnce, isBusy
// Kind: test failed
// Expect: was overdrawn

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
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
	var balance int64
	err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, from).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("transfer from %q: %w", from, ErrNoAccount)
	}
	if err != nil {
		return err
	}
	if err := b.exists(ctx, b.db, to); err != nil {
		return fmt.Errorf("transfer to %q: %w", to, err)
	}
	if balance < amount {
		return fmt.Errorf("transfer %d from %q: %w", amount, from, ErrInsufficientFunds)
	}
	b.aboutToWrite()
	if _, err := b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ?`, amount, from); err != nil {
		return err
	}
	_, err = b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, to)
	return err
}
