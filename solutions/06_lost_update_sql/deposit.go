package lostupdatesql

import (
	"context"
	"fmt"
)

// Deposit adds amount to the balance of account id and adds one to its
// version. Any number of deposits may run at once, from any number of
// Banks, and every one of them counts.
//
// Errors: ErrInvalidAmount if amount <= 0, ErrNoAccount if there is no
// such account; in both cases nothing is written.
func (b *Bank) Deposit(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("deposit %d to %q: %w", amount, id, ErrInvalidAmount)
	}
	b.aboutToWrite()
	// One statement: SQLite reads and writes the row under its write lock,
	// so no other write can come between the read and the write.
	res, err := b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("deposit to %q: %w", id, ErrNoAccount)
	}
	return nil
}

// Withdraw takes amount from the balance of account id and adds one to its
// version, but only if the balance stays zero or more: when two
// withdrawals race for the last money, one of them gets it and the other
// gets ErrInsufficientFunds. A balance never goes negative.
//
// Errors: ErrInvalidAmount if amount <= 0, ErrNoAccount if there is no
// such account, ErrInsufficientFunds if the balance is less than amount;
// in every case nothing is written.
func (b *Bank) Withdraw(ctx context.Context, id string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInvalidAmount)
	}
	b.aboutToWrite()
	// The check is part of the write: the row is changed only if it still
	// has the money at the moment of the write.
	res, err := b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ? AND balance >= ?`,
		amount, id, amount)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	// No row changed: either there is no such account, or it has too
	// little. Which one does not depend on a race: accounts are never
	// deleted.
	if err := b.exists(ctx, b.db, id); err != nil {
		return fmt.Errorf("withdraw from %q: %w", id, err)
	}
	return fmt.Errorf("withdraw %d from %q: %w", amount, id, ErrInsufficientFunds)
}
