// Mistake: Withdraw holds a per-Bank Go mutex around SELECT-then-UPDATE.
//
// Inside one Bank the mutex serialises withdrawals, so the check-then-act
// looks safe, and every test that uses one Bank passes. Two Banks on one
// file (two server processes) have two mutexes: both withdrawals pass the
// check, and the account is overdrawn. All coordination must happen in the
// database.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: went through two Banks on one file

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Withdraw takes amount from the balance of account id, under this Bank's lock.
func (b *Bank) Withdraw(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInvalidAmount)
	}
	defer b.lock()()
	var balance int64
	err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("withdraw from %q: %w", id, ErrNoAccount)
	}
	if err != nil {
		return err
	}
	if balance < amount {
		return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInsufficientFunds)
	}
	b.aboutToWrite()
	_, err = b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ?`, amount, id)
	return err
}

// locks holds one mutex per Bank, as a mutex field of Bank would.
var locks sync.Map

// lock locks b's mutex and returns its unlock.
func (b *Bank) lock() (unlock func()) {
	m, _ := locks.LoadOrStore(b, new(sync.Mutex))
	m.(*sync.Mutex).Lock()
	return m.(*sync.Mutex).Unlock
}
