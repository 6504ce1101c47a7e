// Mistake: Apply retries until it wins, with no limit.
//
// Under light load it looks perfect. Under steady contention an attempt
// can lose again and again; the request never finishes, holds its
// goroutine and its caller, and more requests pile up behind it.
//
// Replaces: bank.go
// Expect: unbounded retry

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite" // the "sqlite" driver: SQLite in pure Go, no cgo, no server
	sqlite3 "modernc.org/sqlite/lib"
)

// The errors the Bank's methods return for bad input and for refused
// operations. Methods may wrap them with more detail; compare with
// errors.Is. An operation that returns one of them has changed nothing.
var (
	// ErrInvalidAmount: an amount was zero or negative, or an opening
	// balance was negative.
	ErrInvalidAmount = errors.New("amount must be positive")
	// ErrNoAccount: no account has the given id.
	ErrNoAccount = errors.New("no such account")
	// ErrSameAccount: a transfer names the same account twice.
	ErrSameAccount = errors.New("transfer to the same account")
	// ErrInsufficientFunds: the operation would make a balance negative.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrConflict: Apply found the account changed under it on every one
	// of its MaxAttempts attempts. The caller may try again later.
	ErrConflict = errors.New("account changed by others on every attempt")
)

// MaxAttempts is how many times Apply tries its read-change-write before it
// gives up with ErrConflict.
const MaxAttempts = 5

// schema is the one table of the bank. Every statement that changes an
// account's balance also adds one to its version: Apply relies on it to
// notice that someone else wrote the account since it read it.
const schema = `CREATE TABLE IF NOT EXISTS accounts (
	id      TEXT PRIMARY KEY,
	balance INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 0
)`

// A Bank keeps accounts in a SQLite database file. Its methods are safe to
// call from many goroutines at once, and from several Banks (or several
// processes) open on the same file at once: all coordination happens in
// the database, not in Go memory. Make one with Open; the zero Bank is not
// usable.
type Bank struct {
	db *sql.DB // a pool of several connections: two calls may run on two connections at once

	// beforeWrite, if not nil, is called once per attempt by Deposit,
	// Withdraw, Apply and Transfer: after the operation has read what it
	// needs (if it reads anything) and right before its first statement
	// that changes a balance. The tests set it to make two operations
	// meet there, which is where a lost update happens. Keep the calls to
	// aboutToWrite where a write is about to happen.
	beforeWrite func()
}

// Open opens (and creates, if needed) the database file at path and
// returns a Bank on it. The caller must Close the Bank.
func Open(path string) (*Bank, error) {
	// WAL lets readers go on while one connection writes; busy_timeout makes
	// a connection that finds the database locked by a writer wait up to
	// 5 seconds for it, instead of failing at once with SQLITE_BUSY.
	dsn := path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	// _txlock=immediate makes every transaction of this pool a BEGIN
	// IMMEDIATE: it takes the database's write lock when it begins, waiting
	// (busy_timeout) while another connection holds it.
	dsn += "&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return &Bank{db: db}, nil
}

// Close closes the database. No method may be called after Close.
func (b *Bank) Close() error { return b.db.Close() }

// aboutToWrite calls the test hook, if there is one.
func (b *Bank) aboutToWrite() {
	if b.beforeWrite != nil {
		b.beforeWrite()
	}
}

// CreateAccount adds an account with the given opening balance, which must
// not be negative (ErrInvalidAmount). It fails if the id is taken.
func (b *Bank) CreateAccount(ctx context.Context, id string, balance int64) error {
	if balance < 0 {
		return fmt.Errorf("open %q with %d: %w", id, balance, ErrInvalidAmount)
	}
	_, err := b.db.ExecContext(ctx, `INSERT INTO accounts (id, balance) VALUES (?, ?)`, id, balance)
	return err
}

// Balance returns the balance of account id, or ErrNoAccount.
func (b *Bank) Balance(ctx context.Context, id string) (int64, error) {
	var balance int64
	err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("balance of %q: %w", id, ErrNoAccount)
	}
	return balance, err
}

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

// querier is what *sql.DB and *sql.Tx have in common that exists needs.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exists returns nil if account id exists, ErrNoAccount if it does not, or
// the database's error.
func (b *Bank) exists(ctx context.Context, q querier, id string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoAccount
	}
	return err
}

// Apply changes the balance of account id to change(balance).
func (b *Bank) Apply(ctx context.Context, id string, change func(balance int64) (int64, error)) error {
	for {
		var balance, version int64
		err := b.db.QueryRowContext(ctx,
			`SELECT balance, version FROM accounts WHERE id = ?`, id).Scan(&balance, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("apply to %q: %w", id, ErrNoAccount)
		}
		if err != nil {
			return err
		}
		next, err := change(balance)
		if err != nil {
			return err
		}
		if next < 0 {
			return fmt.Errorf("apply to %q: %w", id, ErrInsufficientFunds)
		}
		b.aboutToWrite()
		res, err := b.db.ExecContext(ctx,
			`UPDATE accounts SET balance = ?, version = version + 1 WHERE id = ? AND version = ?`,
			next, id, version)
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
	}
}

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
