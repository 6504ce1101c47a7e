package lockpitfalls

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const abba = "deadlock: AB-BA lock order. Transfer(a, b) locked a and waits for b, while Transfer(b, a) " +
	"locked b and waits for a: each holds what the other needs. Taking the locks in argument order, or " +
	"always `to` first, or always `from` first, is an order per call, not one order for the whole bank. " +
	"Lock the account with the lower ID first, whatever the direction of the money."

const reentrantTransfer = "deadlock: re-entrant locking. A single transfer, with no other goroutine around, " +
	"never finished: Transfer waits for a lock that its own goroutine already holds (the same account " +
	"locked twice, or a method that locks called with the lock held)."

// Task 3: Transfer moves money, and changes nothing when it fails.
func TestTransfer_MovesMoney(t *testing.T) {
	isolate(t, 4, reentrantTransfer, func(t *testing.T) {
		a, b := NewAccount(1, 100), NewAccount(2, 50)
		calls := 0
		afterFirstLock = func(first *Account) {
			calls++
			checkHookHoldsOne(t, first, a, b)
		}
		assert.NoError(t, Transfer(a, b, 30))
		assert.NoError(t, Transfer(b, a, 80))
		checkBalances(t, "after Transfer(a, b, 30) and Transfer(b, a, 80)", a, 150, b, 0)
		assert.Equal(t, 2, calls, katatest.Means("Transfer calls afterFirstLock once per transfer, after its first Lock; "+
			"keep the call, or the tests cannot force the deadlock", 4))

		assert.ErrorIs(t, Transfer(a, b, 0), ErrInvalidAmount)
		assert.ErrorIs(t, Transfer(b, a, 1), ErrInsufficientFunds, katatest.Means("b has 0 cents", 4))
		assert.ErrorIs(t, Transfer(a, b, 151), ErrInsufficientFunds, katatest.Means("a has 150 cents", 4))
		checkBalances(t, "after three refused transfers", a, 150, b, 0)
	})
}

// Task 3: a transfer to or from a closed account changes nothing.
func TestTransfer_ClosedAccount(t *testing.T) {
	isolate(t, 4, reentrantTransfer, func(t *testing.T) {
		a, b := NewAccount(1, 100), NewAccount(2, 0)
		b.closed = true // as Close leaves it
		assert.ErrorIs(t, Transfer(a, b, 30), ErrClosed)
		assert.ErrorIs(t, Transfer(b, a, 30), ErrClosed)
		checkBalances(t, "after two transfers refused because b is closed", a, 100, b, 0)
	})
}

// Task 3: a transfer to the same account is refused, and does not deadlock.
func TestTransfer_ToItself(t *testing.T) {
	isolate(t, 4, reentrantTransfer+" Here: Transfer(a, a) locks a twice. Refuse it before locking anything.", func(t *testing.T) {
		a := NewAccount(1, 100)
		assert.ErrorIs(t, Transfer(a, a, 10), ErrSameAccount)
		assert.Equal(t, int64(100), a.Balance())
	})
}

// Task 3: Transfer(a, b) and Transfer(b, a) at the same time both finish.
//
// The hook holds each transfer after its first Lock until the other
// transfer has taken its first Lock too (or, if the other is waiting for
// the same lock, until the barrier's patience runs out). With locks taken
// in argument order, a is then held by one transfer and b by the other,
// every run: the deadlock is forced, not hoped for.
func TestTransfer_OppositeDirections(t *testing.T) {
	isolate(t, 4, abba, func(t *testing.T) {
		a, b := NewAccount(1, 100), NewAccount(2, 100)
		both := katatest.NewBarrier(2)
		var calls atomic.Int32
		afterFirstLock = func(*Account) {
			calls.Add(1)
			both.Wait()
		}
		var wg sync.WaitGroup
		wg.Go(func() { assert.NoError(t, Transfer(a, b, 10)) })
		wg.Go(func() { assert.NoError(t, Transfer(b, a, 20)) })
		wg.Wait()
		checkBalances(t, "after Transfer(a, b, 10) and Transfer(b, a, 20) at once", a, 110, b, 90)
		assert.GreaterOrEqual(t, int(calls.Load()), 2, katatest.Means("each Transfer calls afterFirstLock after its first Lock", 4))
	})
}

// Task 3: three transfers in a ring, a→b, b→c, c→a, at the same time.
func TestTransfer_Ring(t *testing.T) {
	isolate(t, 4, abba+" With three accounts the cycle is a→b→c→a: each transfer holds one account and waits for the next.", func(t *testing.T) {
		a, b, c := NewAccount(1, 100), NewAccount(2, 100), NewAccount(3, 100)
		all := katatest.NewBarrier(3)
		afterFirstLock = func(*Account) { all.Wait() }
		var wg sync.WaitGroup
		wg.Go(func() { assert.NoError(t, Transfer(a, b, 10)) })
		wg.Go(func() { assert.NoError(t, Transfer(b, c, 20)) })
		wg.Go(func() { assert.NoError(t, Transfer(c, a, 30)) })
		wg.Wait()
		checkBalances(t, "after a→b 10, b→c 20, c→a 30 at once", a, 120, b, 90)
		assert.Equal(t, int64(90), c.Balance(), katatest.Means("c got 20 from b and sent 30 to a", 4))
	})
}

// checkHookHoldsOne checks, from inside afterFirstLock, that Transfer holds
// the lock of first and not yet the other one's.
func checkHookHoldsOne(t *testing.T, first, a, b *Account) {
	other := a
	if first == a {
		other = b
	}
	if first != a && first != b {
		t.Error(katatest.Failure{Want: "afterFirstLock gets one of the two accounts", Got: fmt.Sprintf("%p", first), Hint: 4})
		return
	}
	if first.mu.TryLock() {
		first.mu.Unlock()
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("afterFirstLock runs while Transfer holds the lock of account %d, the one it locked first", first.ID()),
			Got:   "that lock was free",
			Means: "the hook is called in the wrong place, so the tests cannot pause Transfer between its two Locks",
			Hint:  4,
		})
	}
	if !other.mu.TryLock() {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("afterFirstLock runs before Transfer locks the second account, %d", other.ID()),
			Got:   "that lock was already held",
			Means: "the hook is called in the wrong place, so the tests cannot pause Transfer between its two Locks",
			Hint:  4,
		})
		return
	}
	other.mu.Unlock()
}

func checkBalances(t *testing.T, when string, a *Account, wantA int64, b *Account, wantB int64) {
	gotA, gotB := a.Balance(), b.Balance()
	if gotA == wantA && gotB == wantB {
		return
	}
	f := katatest.Failure{
		Want: fmt.Sprintf("%s: account %d has %d, account %d has %d", when, a.ID(), wantA, b.ID(), wantB),
		Got:  fmt.Sprintf("%d and %d", gotA, gotB),
		Hint: 4,
	}
	if gotA+gotB < wantA+wantB {
		f.Means = fmt.Sprintf("%d cents vanished: the money left one account and never reached the other. "+
			"A transfer holds both locks from the check to the last change, and changes nothing if it fails.", wantA+wantB-gotA-gotB)
	} else if gotA+gotB > wantA+wantB {
		f.Means = fmt.Sprintf("%d cents appeared from nowhere", gotA+gotB-wantA-wantB)
	} else {
		f.Means = "the money moved the wrong way, or by the wrong amount"
	}
	t.Error(f)
}

const oneOrder = "AB-BA lock order: the first lock depends on the direction (or on the balances), not on one " +
	"order for the whole bank. Whenever two such transfers meet, each can hold the lock the other wants " +
	"next. Pick the first lock by something that never changes and is the same for both directions, such " +
	"as the lower ID."

// Task 3: every transfer between the same two accounts locks the same one
// first, whichever way the money goes and whatever the balances.
//
// One transfer at a time, so nothing can deadlock here: the test only
// watches, through afterFirstLock, which account each transfer locks first.
// The accounts start with equal balances, and the IDs are not in the order
// the accounts were made.
func TestTransfer_OneOrder(t *testing.T) {
	isolate(t, 4, abba, func(t *testing.T) {
		accounts := []*Account{NewAccount(3, 100), NewAccount(1, 100), NewAccount(2, 100)}
		lockedFirst := func(from, to *Account) *Account {
			var first *Account
			afterFirstLock = func(acc *Account) {
				if first == nil {
					first = acc
				}
			}
			defer func() { afterFirstLock = nil }()
			assert.NoError(t, Transfer(from, to, 10))
			return first
		}
		wins := map[*Account]int{}
		for i, x := range accounts {
			for _, y := range accounts[i+1:] {
				xy, yx := lockedFirst(x, y), lockedFirst(y, x)
				if xy == nil || yx == nil {
					t.Error(katatest.Failure{
						Want:  "each Transfer calls afterFirstLock after its first Lock",
						Got:   "a transfer never called it",
						Means: "keep the call to the hook where its doc comment says, or the tests cannot see the lock order",
						Hint:  4,
					})
					return
				}
				if xy != yx {
					t.Error(katatest.Failure{
						Want: fmt.Sprintf("Transfer(%d→%d) and then Transfer(%d→%d) lock the same account first",
							x.ID(), y.ID(), y.ID(), x.ID()),
						Got: fmt.Sprintf("the first locked account %d first, the second locked account %d first",
							xy.ID(), yx.ID()),
						Means: oneOrder,
						Hint:  4,
					})
					return
				}
				wins[xy]++
			}
		}
		for _, acc := range accounts {
			if wins[acc] == 2 {
				return
			}
		}
		t.Error(katatest.Failure{
			Want:  "one order over all accounts: one of three accounts is locked first in both of its pairs",
			Got:   "each account is locked first in exactly one pair: the order is a cycle",
			Means: oneOrder + " An order per pair allows the ring a→b→c→a.",
			Hint:  4,
		})
	})
}
