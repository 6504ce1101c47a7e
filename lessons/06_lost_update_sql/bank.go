// Package lostupdatesql is lesson 06: the lost update of lesson 05 in a real
// database. A small bank keeps accounts in SQLite, reached through
// database/sql and a pool of connections, and its deposits, withdrawals and
// transfers must stay exact when many of them run at once: an atomic UPDATE,
// optimistic locking with a version column, and a transaction that either
// moves the money or changes nothing.
package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: SQLite in pure Go, no cgo, no server
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
	// TODO: (task 3, optional) Hint 7 shows a DSN parameter that changes how
	// transactions begin.
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
	// TODO: (task 1) two deposits that both read the balance before either
	// writes lose one of them. Let the database do the arithmetic in one
	// statement, check the input, and find out whether the account exists.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance); err != nil {
		return err
	}
	b.aboutToWrite()
	_, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, balance+amount, id)
	return err
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
	// TODO: (task 1) the check and the write are two statements, so two
	// withdrawals can both pass the check. Put the check into the write.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance); err != nil {
		return err
	}
	if balance < amount {
		return ErrInsufficientFunds
	}
	b.aboutToWrite()
	_, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, balance-amount, id)
	return err
}

// Apply changes the balance of account id to change(balance), for changes
// that are computed in Go rather than in SQL (interest, fees, rounding
// rules). It uses optimistic locking: it reads the balance and the
// version, calls change, and writes the new balance only if the version is
// still the one it read, adding one to it. If another write came in
// between, Apply reads again and calls change again, at most MaxAttempts
// times in all, and then returns ErrConflict. change may therefore be
// called more than once and must depend only on its argument.
//
// Errors: ErrNoAccount if there is no such account (change is not
// called); the error change returns, unchanged; ErrInsufficientFunds if
// change returns a negative balance; ErrConflict as above. In every case
// nothing is written.
func (b *Bank) Apply(ctx context.Context, id string, change func(balance int64) (int64, error)) error {
	// TODO: (task 2) read the version too, write only if it is unchanged,
	// look at how many rows the write changed, and retry a bounded number
	// of times.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance); err != nil {
		return err
	}
	next, err := change(balance)
	if err != nil {
		return err
	}
	b.aboutToWrite()
	_, err = b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, next, id)
	return err
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
	// TODO: (task 3) make the check and both writes one transaction that
	// cannot overdraw, cannot half-happen, and survives SQLITE_BUSY.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, from).Scan(&balance); err != nil {
		return err
	}
	if balance < amount {
		return ErrInsufficientFunds
	}
	b.aboutToWrite()
	if _, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, balance-amount, from); err != nil {
		return err
	}
	_, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = balance + ? WHERE id = ?`, amount, to)
	return err
}
