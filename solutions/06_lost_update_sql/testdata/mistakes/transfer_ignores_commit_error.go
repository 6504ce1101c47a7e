// Mistake: Transfer calls tx.Commit() and returns nil, ignoring its error.
//
// Both writes succeeded, so the transfer looks done. But nothing of a
// transaction is in the database until Commit succeeds: a Commit that
// fails (a full disk, a lost lock, SQLITE_BUSY on a deferred transaction)
// leaves it rolled back, and the caller is told the money moved when it
// did not. return tx.Commit() is the whole fix.
//
// Replaces: transfer.go
// Kind: test failed
// Expect: the error of Commit was dropped

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
	tx.Commit() // the writes worked, so the transfer did
	return nil
}
