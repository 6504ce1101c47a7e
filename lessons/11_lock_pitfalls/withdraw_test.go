package lockpitfalls

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const missingUnlock = "deadlock: missing Unlock on an early return. Withdraw returned an error with a.mu still " +
	"locked. No running code holds the lock any more, so nothing will ever unlock it, and every later call " +
	"on the account, from any goroutine, waits forever. `defer a.mu.Unlock()` right after Lock covers every return."

// Task 1: Withdraw takes money out, and rejects amounts that are not positive.
func TestWithdraw_TakesMoney(t *testing.T) {
	isolate(t, 2, missingUnlock, func(t *testing.T) {
		a := NewAccount(1, 100)
		assert.NoError(t, a.Withdraw(30))
		assert.Equal(t, int64(70), a.Balance(), katatest.Means("100 - 30 = 70", 2))
		assert.ErrorIs(t, a.Withdraw(0), ErrInvalidAmount, katatest.Means("a withdrawal must be positive", 2))
		assert.ErrorIs(t, a.Withdraw(-5), ErrInvalidAmount, katatest.Means("a withdrawal must be positive", 2))
		assert.NoError(t, a.Withdraw(70), katatest.Means("the whole balance may be withdrawn", 2))
		assert.Equal(t, int64(0), a.Balance(), katatest.Means("a rejected withdrawal changes nothing", 2))
	})
}

// Task 1: a withdrawal that is refused for lack of money releases the lock.
func TestWithdraw_InsufficientFundsUnlocks(t *testing.T) {
	isolate(t, 2, missingUnlock, func(t *testing.T) {
		a := NewAccount(1, 100)
		assert.ErrorIs(t, a.Withdraw(500), ErrInsufficientFunds)
		// Another goroutine, a moment later: it must not wait for a lock
		// that the refused withdrawal left behind.
		var wg sync.WaitGroup
		wg.Go(func() {
			assert.Equal(t, int64(100), a.Balance(), katatest.Means("a refused withdrawal changes nothing", 2))
			assert.NoError(t, a.Deposit(50))
			assert.NoError(t, a.Withdraw(150), katatest.Means("100 + 50 may be withdrawn", 2))
		})
		wg.Wait()
		assert.Equal(t, int64(0), a.Balance())
	})
}

// Task 1: a withdrawal from a closed account releases the lock.
func TestWithdraw_ClosedAccountUnlocks(t *testing.T) {
	isolate(t, 2, missingUnlock, func(t *testing.T) {
		a := NewAccount(1, 0)
		a.closed = true // as Close leaves it; Close itself is task 2
		assert.ErrorIs(t, a.Withdraw(10), ErrClosed)
		var wg sync.WaitGroup
		wg.Go(func() {
			assert.ErrorIs(t, a.Deposit(10), ErrClosed, katatest.Means("a closed account takes no deposits", 2))
			assert.ErrorIs(t, a.Withdraw(10), ErrClosed)
		})
		wg.Wait()
		assert.Equal(t, int64(0), a.Balance())
	})
}
