package lockpitfalls

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
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
		if t.Failed() {
			return
		}

		// Money leaves from while Transfer holds its first lock, to's (the
		// lower ID), and has not yet locked from: the check of the funds
		// must come after both locks.
		from, to := NewAccount(5, 100), NewAccount(4, 0)
		hooked := false
		afterFirstLock = func(first *Account) {
			if first != to {
				return
			}
			hooked = true
			done := make(chan struct{})
			go func() { // a withdrawal of 50 from another goroutine
				defer close(done)
				from.mu.Lock()
				defer from.mu.Unlock()
				from.balance -= 50
			}()
			<-done
		}
		err := Transfer(from, to, 80)
		afterFirstLock = nil
		if hooked && (err != ErrInsufficientFunds || from.balance != 50 || to.balance != 0) {
			t.Error(katatest.Failure{
				Want: "50 of account 5's 100 cents are withdrawn while Transfer(5→4, 80) holds only account 4's lock: " +
					"Transfer returns ErrInsufficientFunds, and 50 cents are left",
				Got: fmt.Sprintf("%v; account 5 has %d cents, account 4 has %d", err, from.balance, to.balance),
				Means: "overdrawn: Transfer checked the funds before it held both locks (check-then-act), and the " +
					"money was gone by the time it moved it. Check the funds only once both locks are held",
				Hint: 4,
			})
		}
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
		if t.Failed() {
			return
		}

		// An account is closed while Transfer holds its first lock and has
		// not yet taken the second: the check must come after both locks.
		for _, toFirst := range []bool{true, false} {
			from, to := NewAccount(5, 100), NewAccount(4, 0)
			if !toFirst {
				from, to = NewAccount(4, 100), NewAccount(5, 0)
			}
			var closedOne *Account
			afterFirstLock = func(first *Account) {
				other := from
				if first == from {
					other = to
				}
				done := make(chan struct{})
				go func() { // the other account is closed meanwhile, as Close leaves it
					defer close(done)
					other.mu.Lock()
					defer other.mu.Unlock()
					other.balance, other.closed = 0, true
				}()
				<-done
				closedOne = other
			}
			err := Transfer(from, to, 30)
			afterFirstLock = nil
			if closedOne == nil {
				return // the hook is checked by TestTransfer_MovesMoney
			}
			open, closedOne := from, closedOne
			if closedOne == from {
				open = to
			}
			opening := int64(100)
			if open == to {
				opening = 0
			}
			if err != ErrClosed || open.balance != opening || closedOne.balance != 0 {
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("account %d is closed while Transfer(%d→%d, 30) holds only its first lock: "+
						"Transfer returns ErrClosed and account %d keeps its %d cents",
						closedOne.ID(), from.ID(), to.ID(), open.ID(), opening),
					Got: fmt.Sprintf("%v; account %d has %d cents, the closed account %d has %d",
						err, open.ID(), open.balance, closedOne.ID(), closedOne.balance),
					Means: "Transfer checked whether the accounts are closed before it held both locks (check-then-act): " +
						"the account was closed in between, and the transfer went ahead anyway. Check closed, and the " +
						"funds, only once both locks are held",
					Hint: 4,
				})
				return
			}
		}
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
		steps := newLockstep(2)
		afterBalance = steps.afterBalance
		var wg sync.WaitGroup
		wg.Go(func() { steps.join(); assert.NoError(t, Transfer(a, b, 10)) })
		wg.Go(func() { steps.join(); assert.NoError(t, Transfer(b, a, 20)) })
		wg.Wait()
		afterBalance = nil
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
		steps := newLockstep(3)
		afterBalance = steps.afterBalance
		var wg sync.WaitGroup
		wg.Go(func() { steps.join(); assert.NoError(t, Transfer(a, b, 10)) })
		wg.Go(func() { steps.join(); assert.NoError(t, Transfer(b, c, 20)) })
		wg.Go(func() { steps.join(); assert.NoError(t, Transfer(c, a, 30)) })
		wg.Wait()
		afterBalance = nil
		checkBalances(t, "after a→b 10, b→c 20, c→a 30 at once", a, 120, b, 90)
		assert.Equal(t, int64(90), c.Balance(), katatest.Means("c got 20 from b and sent 30 to a", 4))
	})
}

// A lockstep lines up the reads of the balance that several transfers make
// before they lock: the k-th Balance call of each goroutine that joined
// waits, in afterBalance, until every other one has made its k-th call too
// (or, if one never does, until a barrier's patience runs out). A Transfer
// that picks its lock order from balances read with Balance has then
// decided in every goroutine before any of them locks, as when the
// transfers really arrive at the same moment. The correct Transfer never
// calls Balance, so it never waits here.
type lockstep struct {
	n        int
	mu       sync.Mutex
	calls    map[int]int // goroutine ID → Balance calls it has made
	barriers []*katatest.Barrier
}

func newLockstep(n int) *lockstep { return &lockstep{n: n, calls: map[int]int{}} }

// join makes the calling goroutine one of the goroutines kept in step.
func (l *lockstep) join() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls[goroutineID()] = 0
}

func (l *lockstep) afterBalance(*Account) {
	id := goroutineID()
	l.mu.Lock()
	k, ok := l.calls[id]
	if !ok {
		l.mu.Unlock()
		return
	}
	l.calls[id] = k + 1
	for len(l.barriers) <= k {
		l.barriers = append(l.barriers, katatest.NewBarrier(l.n))
	}
	b := l.barriers[k]
	l.mu.Unlock()
	b.Wait()
}

// goroutineID is the number of the calling goroutine, as its stack dump
// shows it.
func goroutineID() int {
	buf := make([]byte, 128)
	return evidence.CurrentID(string(buf[:runtime.Stack(buf, false)]))
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
		f.Means = fmt.Sprintf("%s vanished: the money left one account and never reached the other. "+
			"A transfer holds both locks from the check to the last change, and changes nothing if it fails.", katatest.Count(wantA+wantB-gotA-gotB, "cent"))
	} else if gotA+gotB > wantA+wantB {
		f.Means = katatest.Count(gotA+gotB-wantA-wantB, "cent") + " appeared from nowhere"
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
		oneAtATime := false // a Transfer let go of its first lock before it took the second
		retried := false    // a Transfer let go of its first lock and took it again
		lockedFirst := func(from, to *Account) *Account {
			var first *Account
			var checked sync.WaitGroup
			returned := make(chan struct{}) // closed when Transfer returned or took its first lock again
			var stop sync.Once
			afterFirstLock = func(acc *Account) {
				if first != nil {
					// Its first lock again, while the test holds the
					// other: it backed off (a failed TryLock) and
					// retried. Stop watching for it to block.
					retried = true
					stop.Do(func() { close(returned) })
					return
				}
				first = acc
				// Hold the other account until Transfer waits for it, then
				// look whether it still holds the first one.
				other := to
				if acc == to {
					other = from
				}
				other.mu.Lock()
				checked.Go(func() {
					defer other.mu.Unlock()
					waitBlocked("Transfer", returned, "sync.Mutex.Lock")
					if first.mu.TryLock() {
						oneAtATime = true
						first.mu.Unlock()
					}
				})
			}
			defer func() { afterFirstLock = nil }()
			assert.NoError(t, Transfer(from, to, 10))
			stop.Do(func() { close(returned) })
			checked.Wait()
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
				if retried {
					t.Error(katatest.Failure{
						Want: "Transfer takes its first lock once and then waits for the second",
						Got:  "it let go of its first lock and took it again while the second was held: it backs off and retries",
						Means: "no deadlock, but a livelock: two transfers in opposite directions can keep taking their " +
							"first lock, failing to get the second and backing off, forever. " + oneOrder,
						Hint: 4,
					})
					return
				}
				if oneAtATime {
					t.Error(katatest.Failure{
						Want: "Transfer holds the lock of both accounts from the check to the last change",
						Got:  "it unlocked the first account before it locked the second: it never holds both",
						Means: "no deadlock, but no atomic transfer either: between the two critical sections the " +
							"money is in neither account, and if the second step fails (a closed account) it is gone. " +
							"Lock both, in one order for the whole bank (the lower ID first), then check and change",
						Hint: 4,
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

// Task 3: Transfer holds both locks, once each, from the checks to the last
// change.
//
// A Transfer that unlocks an account and locks it again in the middle
// leaves a gap that no test hook reaches: a Close or a Withdraw in it
// breaks the checks, and locking the first account again while holding the
// second reverses the lock order. The test reads the source.
func TestTransfer_OneCriticalSection(t *testing.T) {
	places, err := unlockThenLock(".", "Transfer")
	if err != nil {
		t.Fatalf("reading the lesson's source: %v", err)
	}
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "Transfer locks each account once, lower ID first, and holds both locks from the checks to the last change",
			Got:  fmt.Sprintf("Transfer unlocks and then locks again at %s", strings.Join(places, ", ")),
			Means: "the critical section is split: between the Unlock and the Lock another goroutine can close or " +
				"withdraw from the account, after the checks passed, and a first lock taken again while the second " +
				"is held reverses the lock order (AB-BA). Lock both once, defer both Unlocks, and unlock nothing else",
			Hint: 4,
		})
	}
}
