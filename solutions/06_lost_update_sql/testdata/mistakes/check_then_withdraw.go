// Mistake: Withdraw checks the balance, then subtracts atomically.
//
// The subtraction is atomic, so no withdrawal is lost, but the check is a
// separate SELECT. Two withdrawals of 70 from 100 both see 100, both pass,
// and the account ends at -40: check-then-act, one level up.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: was overdrawn

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (b *Bank) Withdraw(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInvalidAmount)
	}
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
