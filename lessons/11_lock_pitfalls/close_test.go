package lockpitfalls

import (
	"fmt"
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

const closeNotAtomic = "Close is no longer atomic: it released a.mu between reading the balance and closing " +
	"the account (an Unlock around a call to Balance, say), and another goroutine used the gap. Unlocking " +
	"is not the cure for re-entrant locking: it turns a deadlock into lost money. Hold a.mu from the check " +
	"to the last write, and read a.balance directly."

// Task 2: nothing can happen to the account in the middle of Close.
//
// The hook runs right after any Balance call has read the balance and
// released the lock. A Close that reads the balance with Balance between an
// Unlock and a Lock therefore lets the hook act in its gap: a deposit (which
// Close then wipes out with the balance), or a second Close (which pays the
// same balance out again). The correct Close never calls Balance, so the
// hook never runs inside it.
func TestClose_OneCriticalSection(t *testing.T) {
	isolate(t, 3, reentrantClose, func(t *testing.T) {
		// A deposit lands in the gap.
		a := NewAccount(7, 250)
		var deposited int64
		fired := false
		afterBalance = func(acc *Account) {
			if acc != a || fired {
				return
			}
			fired = true
			done := make(chan error)
			go func() { done <- a.Deposit(40) }()
			if <-done == nil {
				deposited = 40
			}
		}
		payout, err := a.Close()
		afterBalance = nil
		assert.NoError(t, err)
		if left := a.Balance(); payout+left != 250+deposited {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Close pays out every cent: 250 opening + %d deposited = %d", deposited, 250+deposited),
				Got:   fmt.Sprintf("paid out %d, %d left in the closed account: %d cents lost", payout, left, 250+deposited-payout-left),
				Means: closeNotAtomic + " Here a Deposit of 40 landed in the gap and was wiped out.",
				Hint:  3,
			})
		}

		// A second Close lands in the gap.
		b := NewAccount(8, 250)
		fired = false
		var payout2 int64
		afterBalance = func(acc *Account) {
			if acc != b || fired {
				return
			}
			fired = true
			done := make(chan struct{})
			go func() {
				defer close(done)
				payout2, _ = b.Close()
			}()
			<-done
		}
		payout1, _ := b.Close()
		afterBalance = nil
		if payout1+payout2 != 250 {
			t.Error(katatest.Failure{
				Want:  "two Close calls at once on an account with 250 cents pay out 250 in all, once",
				Got:   fmt.Sprintf("they paid out %d and %d", payout1, payout2),
				Means: closeNotAtomic + " Here a second Close checked the account in the gap and paid the balance out again.",
				Hint:  3,
			})
		}
	})
}
