// Package lockpitfalls is lesson 11: five ways to deadlock with a mutex, and
// how to avoid each. It is a small bank: accounts that are locked while
// their balance changes (an Unlock missing on an early return, a method
// that locks what its caller already holds, two transfers that lock the
// same two accounts in opposite orders), exchange rates behind a
// sync.RWMutex (a read lock taken twice while a writer waits), and a feed
// that sends every transfer to its watchers (a channel send made while
// holding the lock the receiver needs).
//
// This file is shared by the tasks and needs no change. Each task has a
// file of its own: withdraw.go, close.go, transfer.go, rates.go, feed.go.
package lockpitfalls

import (
	"errors"
	"sync"
)

// Errors returned by the bank's operations.
var (
	ErrInvalidAmount     = errors.New("amount must be positive")
	ErrInsufficientFunds = errors.New("insufficient funds")
	ErrClosed            = errors.New("account is closed")
	ErrSameAccount       = errors.New("cannot transfer to the same account")
	ErrUnknownCurrency   = errors.New("unknown currency")
)

// An Account holds money, in cents. Its methods and Transfer are safe for
// concurrent use: every read and change of the balance happens with mu
// held. An Account must be made with NewAccount and must not be copied.
//
// Go's mutexes are not re-entrant: a goroutine that holds mu and calls
// mu.Lock again waits for itself forever. So a method that holds mu never
// calls another method that locks mu; it reads and changes the fields
// directly.
type Account struct {
	id int // unique in the bank, never changes

	mu      sync.Mutex // protects balance and closed
	balance int64
	closed  bool
}

// NewAccount returns an open account with the given unique id and opening
// balance in cents.
func NewAccount(id int, balance int64) *Account {
	return &Account{id: id, balance: balance}
}

// ID returns the account's id, which is unique in the bank and never
// changes. Reading it needs no lock.
func (a *Account) ID() int { return a.id }

// Balance returns the current balance in cents. A closed account has a
// balance of 0.
//
// Test hook: after reading the balance and releasing the lock, Balance
// calls afterBalance (if it is not nil) with the account.
func (a *Account) Balance() int64 {
	a.mu.Lock()
	balance := a.balance
	a.mu.Unlock()
	if afterBalance != nil {
		afterBalance(a)
	}
	return balance
}

// Deposit adds amount cents to the account. It returns ErrInvalidAmount if
// amount is not positive and ErrClosed if the account is closed; the balance
// is then unchanged.
//
// The deferred Unlock runs on every way out of the function, the early
// return included. Withdraw, in withdraw.go, needs the same care.
func (a *Account) Deposit(amount int64) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrClosed
	}
	a.balance += amount
	return nil
}

// Test hooks. The tests set them to pause the code at the moment that
// matters and force the interleaving that deadlocks, instead of hoping the
// scheduler finds it. Outside the tests they are nil and cost nothing.
// Keep every call to them where the doc comments say: the tests check that
// they are called, and with which locks held.
var (
	// afterFirstLock is called by Transfer with the account it locked
	// first, while it holds that account's lock and before it locks the
	// other account.
	afterFirstLock func(first *Account)

	// whileReading is called by Rates.Convert while it holds the read
	// lock, before it looks up the first rate.
	whileReading func()

	// afterFundsCheck is called by Withdraw with the account once it has
	// found that the balance covers the amount, before it takes the money
	// out.
	afterFundsCheck func(a *Account)

	// afterBalance is called by Balance with the account after it has read
	// the balance and released the lock. The tests use it to land a
	// deposit right after a read of the balance.
	afterBalance func(a *Account)
)
