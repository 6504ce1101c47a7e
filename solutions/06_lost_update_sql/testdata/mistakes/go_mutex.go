// Mistake: a sync.Mutex per Bank guards the read-modify-write.
//
// Inside one Bank the mutex works: no two deposits of that Bank overlap.
// But the lock lives in this process's memory. A second Bank on the same
// file, like a second server behind a load balancer, never sees it, and the
// lost update is back.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: A sync.Mutex in one Bank

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

func (b *Bank) Deposit(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("deposit %d to %q: %w", amount, id, ErrInvalidAmount)
	}
	defer b.lock()()
	var balance int64
	err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("deposit to %q: %w", id, ErrNoAccount)
	}
	if err != nil {
		return err
	}
	b.aboutToWrite()
	_, err = b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = ?, version = version + 1 WHERE id = ?`, balance+amount, id)
	return err
}

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
		`UPDATE accounts SET balance = ?, version = version + 1 WHERE id = ?`, balance-amount, id)
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
