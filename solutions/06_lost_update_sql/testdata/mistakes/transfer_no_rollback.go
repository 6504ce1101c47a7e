// Mistake: Transfer forgets to roll back on an early return.
//
// The transaction is BEGIN IMMEDIATE and every error path that a statement
// returns calls tx.Rollback, but the "insufficient funds" return does not.
// That transaction stays open: it keeps its connection of the pool and
// SQLite's write lock, and every later write waits for them. One refused
// transfer stops the bank. `defer tx.Rollback()` right after BeginTx covers
// every path.
//
// Replaces: transfer.go
// Kind: deadlock or hang
// Expect: no rollback on an early return

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (b *Bank) transferOnce(ctx context.Context, from, to string, amount int64) error {
	// BEGIN IMMEDIATE (see Open): from here to Commit this connection is
	// the only writer, so what we read cannot change before we write.
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}

	var balance int64
	err = tx.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, from).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		tx.Rollback()
		return fmt.Errorf("transfer from %q: %w", from, ErrNoAccount)
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := b.exists(ctx, tx, to); err != nil {
		tx.Rollback()
		return fmt.Errorf("transfer to %q: %w", to, err)
	}
	if balance < amount {
		return fmt.Errorf("transfer %d from %q, which has %d: %w", amount, from, balance, ErrInsufficientFunds)
	}
	b.aboutToWrite()
	if _, err := tx.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ?`, amount, from); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, to); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
