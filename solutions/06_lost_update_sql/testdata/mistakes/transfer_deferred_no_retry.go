// Mistake: Transfer uses a plain (deferred) transaction and does not retry SQLITE_BUSY.
//
// The transaction makes the transfer all or nothing, and SQLite will not
// let two of them both write what they read. But a deferred transaction
// starts as a reader. When two transfers have read and both try to write,
// SQLite cannot make the second one wait (that could deadlock), so it fails
// at once with "database is locked". Nothing is lost; the transfer just
// fails under load.
//
// Replaces: transfer.go
// Removes: isBusy
// Kind: test failed
// Expect: SQLITE_BUSY

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// txOptions adds nothing: every transaction is a plain, deferred BEGIN.
const txOptions = ""

func (b *Bank) Transfer(ctx context.Context, from, to string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("transfer %d: %w", amount, ErrInvalidAmount)
	}
	if from == to {
		return fmt.Errorf("transfer from %q to %q: %w", from, to, ErrSameAccount)
	}
	return b.transferOnce(ctx, from, to, amount)
}

func (b *Bank) transferOnce(ctx context.Context, from, to string, amount int64) error {
	// A plain BEGIN: the write lock is taken at the first UPDATE.
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // undoes everything unless Commit ran first

	var balance int64
	err = tx.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, from).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("transfer from %q: %w", from, ErrNoAccount)
	}
	if err != nil {
		return err
	}
	if err := b.exists(ctx, tx, to); err != nil {
		return fmt.Errorf("transfer to %q: %w", to, err)
	}
	if balance < amount {
		return fmt.Errorf("transfer %d from %q, which has %d: %w", amount, from, balance, ErrInsufficientFunds)
	}
	b.aboutToWrite()
	if _, err := tx.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ?`, amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, to); err != nil {
		return err
	}
	return tx.Commit()
}
