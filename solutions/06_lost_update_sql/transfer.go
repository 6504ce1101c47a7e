package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// txOptions is added to the DSN that Open connects with: driver options for
// the pool's connections and transactions.
//
// _txlock=immediate makes every transaction of this pool a BEGIN IMMEDIATE:
// it takes the database's write lock when it begins, waiting (busy_timeout)
// while another connection holds it.
const txOptions = "&_txlock=immediate"

// Transfer moves amount from account from to account to, and adds one to
// the version of each. It is all or nothing: either both balances change,
// or neither does, even if a statement fails halfway or the process dies.
// Concurrent transfers never overdraw an account and never create or lose
// money, and a transfer does not fail just because other transfers were
// writing at the same moment (SQLite's "database is locked", SQLITE_BUSY).
//
// Errors: ErrInvalidAmount if amount <= 0, ErrSameAccount if from == to,
// ErrNoAccount if either account does not exist, ErrInsufficientFunds if
// from has less than amount; any other error of the database. In every
// case nothing is written.
func (b *Bank) Transfer(ctx context.Context, from, to string, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("transfer %d: %w", amount, ErrInvalidAmount)
	}
	if from == to {
		return fmt.Errorf("transfer from %q to %q: %w", from, to, ErrSameAccount)
	}
	var err error
	for attempt := range MaxAttempts {
		err = b.transferOnce(ctx, from, to, amount)
		if !isBusy(err) {
			return err
		}
		// The database stayed locked for the whole busy_timeout. The
		// transaction was rolled back, so trying it again is safe.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
	return err
}

// transferOnce is one attempt at Transfer, in one transaction.
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
	return tx.Commit()
}

// isBusy reports whether err is SQLite's SQLITE_BUSY ("database is
// locked"), with or without an extended code.
func isBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}
