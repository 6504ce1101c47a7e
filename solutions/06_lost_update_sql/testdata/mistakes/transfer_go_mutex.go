// Mistake: Transfer serializes with a per-Bank Go mutex around a plain transaction.
//
// Inside one Bank the mutex lets one transfer at a time read, check and
// write, so every test that uses one Bank passes, and the transaction makes
// it all or nothing. A second Bank on the same file has its own mutex: two
// transfers through two Banks both read, then both try to write, and the
// deferred transaction that wrote second fails with SQLITE_BUSY ("database
// is locked"), which nobody retries.
//
// Replaces: transfer.go
// Removes: Bank.transferOnce, isBusy
// Kind: test failed
// Expect: SQLITE_BUSY

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

const txOptions = ""

func (b *Bank) Transfer(ctx context.Context, from, to string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("transfer %d: %w", amount, ErrInvalidAmount)
	}
	if from == to {
		return fmt.Errorf("transfer from %q to %q: %w", from, to, ErrSameAccount)
	}
	m, _ := transferLocks.LoadOrStore(b, new(sync.Mutex))
	m.(*sync.Mutex).Lock()
	defer m.(*sync.Mutex).Unlock()

	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
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
		`UPDATE accounts SET balance = ?, version = version + 1 WHERE id = ?`, balance-amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, to); err != nil {
		return err
	}
	return tx.Commit()
}

// transferLocks holds one mutex per Bank, as a mutex field of Bank would.
var transferLocks sync.Map
