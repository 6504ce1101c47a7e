// Mistake: Transfer's writes run with context.WithoutCancel(ctx), so that a transfer is never left half done.
//
// The worry is a JavaScript one: an abandoned promise chain can stop
// between two writes. Here the transaction already makes the transfer all
// or nothing; cutting the writes off from ctx only means that a caller who
// gave up (a cancelled request, a passed deadline) still gets a transfer
// it no longer wants, or an error that is not its context's. The
// transaction itself was begun with ctx, so database/sql rolls it back
// when ctx ends, and the writes then fail with "transaction has already
// been committed or rolled back", or reach the database after the context
// was done.
//
// Replaces: transfer.go
// Kind: test failed
// Expect: did not get the call's context

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
	// Once the checks have passed, finish the transfer even if the caller
	// gives up: half a transfer must never happen.
	wctx := context.WithoutCancel(ctx)
	if _, err := tx.ExecContext(wctx,
		`UPDATE accounts SET balance = balance - ?, version = version + 1 WHERE id = ?`, amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(wctx,
		`UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ?`, amount, to); err != nil {
		return err
	}
	return tx.Commit()
}
