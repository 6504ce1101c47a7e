package lockpitfalls

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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

const overdrawn = "overdrawn: check-then-act. Withdraw checked the balance in one critical section and took " +
	"the money out in another. In the gap between them, the other withdrawal checked the same old balance, " +
	"and both took money the account had only once. A lock protects a decision only if it is held from the " +
	"check to the change: one Lock, one deferred Unlock, the check and the subtraction in between."

// Task 1: two withdrawals at once never take more than the balance.
//
// The hook pauses the first withdrawal after its check and starts a second
// one, then waits until that second one is either blocked in Lock (the
// first still holds the lock: right) or has passed its own check (the
// first let go of the lock between its check and its change: wrong). Both
// then go on. The interleaving is forced, not hoped for.
func TestWithdraw_TwoAtOnce(t *testing.T) {
	isolate(t, 2, missingUnlock, func(t *testing.T) {
		a := NewAccount(1, 100)
		var calls atomic.Int32
		var wg sync.WaitGroup
		var second error
		secondChecked := make(chan struct{})
		afterFundsCheck = func(*Account) {
			switch calls.Add(1) {
			case 1:
				wg.Go(func() { second = a.Withdraw(60) })
				waitBlocked("(*Account).Withdraw", secondChecked, "sync.Mutex.Lock")
			case 2:
				close(secondChecked)
			}
		}
		first := a.Withdraw(60)
		wg.Wait()
		afterFundsCheck = nil
		if calls.Load() == 0 {
			t.Error(katatest.Failure{
				Want:  "Withdraw calls afterFundsCheck after it has checked the balance, before it takes the money out",
				Got:   "a Withdraw(60) from 100 cents never called it",
				Means: "keep the call to the hook where its doc comment says, or the test cannot force two withdrawals at once",
				Hint:  2,
			})
			return
		}
		ok := 0
		for _, err := range []error{first, second} {
			if err == nil {
				ok++
			} else if !errors.Is(err, ErrInsufficientFunds) {
				t.Errorf("a Withdraw(60) returned %v; want nil or ErrInsufficientFunds", err)
			}
		}
		if got := a.Balance(); ok != 1 || got != 40 {
			t.Error(katatest.Failure{
				Want:  "two Withdraw(60) at once from 100 cents: one succeeds, the other gets ErrInsufficientFunds, 40 cents are left",
				Got:   fmt.Sprintf("%d of them succeeded, and the balance is %d", ok, got),
				Means: overdrawn,
				Hint:  2,
			})
		}
	})
}

// Task 1: Withdraw holds a.mu from the check to the change, in one piece.
//
// An Unlock and a Lock again between the checks and the subtraction leave
// a gap in which a Close or another Withdraw can run, and no test hook runs
// there, so the test reads the source, as TestClose_OneCriticalSection does.
func TestWithdraw_OneCriticalSection(t *testing.T) {
	places, err := unlockThenLock(".", "Withdraw")
	if err != nil {
		t.Fatalf("reading the lesson's source: %v", err)
	}
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "Withdraw takes a.mu once and holds it from the checks to the subtraction",
			Got:  fmt.Sprintf("Withdraw unlocks and then locks again at %s", strings.Join(places, ", ")),
			Means: "check-then-act: Withdraw released the lock between its checks and its change, so a Close or " +
				"another Withdraw can run in the gap, and the money is taken on a check that no longer holds. " +
				"One Lock, one deferred Unlock right after it, and no other Unlock",
			Hint: 2,
		})
	}
}
