package lockpitfalls

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const reentrantClose = "deadlock: re-entrant locking. Close holds a.mu and calls a method (Balance, Withdraw, ...) " +
	"that locks a.mu again. A Go mutex does not know who holds it: the second Lock waits for the holder to " +
	"unlock, and the holder is the same goroutine, waiting for the second Lock. One goroutine deadlocks alone. " +
	"While you hold a.mu, read and write a.balance directly, or call a helper that expects the lock held."

// Task 2: Close pays out the balance, and the account takes nothing after.
func TestClose_PaysOutTheBalance(t *testing.T) {
	isolate(t, 3, reentrantClose, func(t *testing.T) {
		a := NewAccount(7, 250)
		payout, err := a.Close()
		assert.NoError(t, err)
		assert.Equal(t, int64(250), payout, katatest.Means("Close returns the balance it pays out", 3))
		assert.Equal(t, int64(0), a.Balance(), katatest.Means("a closed account has a balance of 0", 3))
		assert.ErrorIs(t, a.Deposit(10), ErrClosed, katatest.Means("a closed account takes no deposits", 3))

		payout, err = a.Close()
		assert.ErrorIs(t, err, ErrClosed, katatest.Means("an account is closed only once", 3))
		assert.Equal(t, int64(0), payout, katatest.Means("a second Close pays out nothing", 3))
	})
}
