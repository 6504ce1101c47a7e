// Mistake: Deposit reads the balance, adds in Go, and writes the sum back.
//
// The SELECT and the UPDATE are two statements. Two deposits that both
// read 100 both write their own sum, and the second overwrites the first.
// It is the Node.js "await the query, then await the update" shape, and it
// passes every test that runs one deposit at a time.
//
// Replaces: deposit.go
// Kind: test failed
// Expect: a lost update

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (b *Bank) Deposit(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("deposit %d to %q: %w", amount, id, ErrInvalidAmount)
	}
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
