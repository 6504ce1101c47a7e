package katatest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A lesson test that involves time or goroutines starts with Bubble: the
// function runs in a testing/synctest bubble, so time is fake and exact, a
// hang is reported by the watchdog, and a goroutine left running fails the
// test as a leak. (An example cannot be given a *testing.T, so this one is
// compiled, not run; the kit's own tests run Bubble.)
func ExampleBubble() {
	fetchAll := func(delays ...time.Duration) {
		var wg sync.WaitGroup
		for _, d := range delays {
			wg.Go(func() { time.Sleep(d) })
		}
		wg.Wait()
	}
	testFetchAll := func(t *testing.T) {
		katatest.Bubble(t, 1, func(t *testing.T) {
			took := katatest.Elapsed(func() { fetchAll(200*time.Millisecond, 300*time.Millisecond) })
			if took != 300*time.Millisecond { // exact: time is fake
				t.Error(katatest.Failure{
					Want:  "fetchAll takes 300ms, as long as the slowest fetch",
					Got:   took.String(),
					Means: "the fetches ran one after another",
					Hint:  1,
				})
			}
		})
	}
	_ = testFetchAll // a lesson names it TestFetchAll
}

// Two read-modify-write calls are forced to both read before either writes:
// each waits at the barrier between its read and its write. Wait reports
// that the barrier filled, so the bad interleaving really happened.
func ExampleBarrier() {
	var (
		mu      sync.Mutex
		balance = 100
	)
	read := func() int { mu.Lock(); defer mu.Unlock(); return balance }
	write := func(v int) { mu.Lock(); defer mu.Unlock(); balance = v }

	b := katatest.NewBarrier(2)
	var forced [2]bool
	var wg sync.WaitGroup
	for i, amount := range []int{20, 10} {
		wg.Go(func() {
			v := read()
			forced[i] = b.Wait() // both have read; neither has written
			write(v + amount)
		})
	}
	wg.Wait()
	fmt.Println("forced:", forced[0] && forced[1])
	// Both read 100, so the balance ends at 110 or 120, never at 130.
	fmt.Println("lost update:", balance != 130)
	// Output:
	// forced: true
	// lost update: true
}

// Code that serializes its callers never lets the second one reach the
// barrier while the first waits there. The barrier then opens by itself
// after its patience (real time, DefaultPatience unless set), once, and
// Wait reports that it did not fill.
func ExampleBarrier_serialized() {
	var mu sync.Mutex
	b := katatest.NewBarrierPatience(2, 10*time.Millisecond)
	var wg sync.WaitGroup
	var filled [2]bool
	for i := range 2 {
		wg.Go(func() {
			mu.Lock() // held across the read, the wait and the write
			defer mu.Unlock()
			filled[i] = b.Wait()
		})
	}
	wg.Wait()
	fmt.Println("filled:", filled[0] || filled[1], b.Filled())
	// Output:
	// filled: false false
}

// Failure lays out a teaching failure message: what was expected, what
// happened, what it means, and which hint to read.
func ExampleFailure() {
	fmt.Print(katatest.Failure{
		Want:  "the balance is 130 after deposits of 20 and 10",
		Got:   "110",
		Means: "two deposits read the same balance: a lost update",
		Hint:  2,
	})
	// Output:
	// expected: the balance is 130 after deposits of 20 and 10
	//      got: 110
	//    means: two deposits read the same balance: a lost update
	//     hint: read Hint 2 in this lesson's hints.md
}

// Means words testify's message argument the same way.
func ExampleMeans() {
	fmt.Println(katatest.Means("two increments read the same value: a lost update", 2))
	// Output:
	// means: two increments read the same value: a lost update
	// hint:  read Hint 2 in this lesson's hints.md
}
