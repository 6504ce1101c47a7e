package lockpitfalls

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const recursiveRLock = "deadlock: recursive RLock with a writer waiting. Convert held the read lock; Set called " +
	"Lock and waited for that reader to leave; then Convert took the read lock a second time (through Rate). " +
	"A waiting writer blocks every new RLock, so that readers cannot starve it, and that includes the second " +
	"RLock of a goroutine that already reads: the writer waits for Convert, Convert waits behind the writer. " +
	"Take the read lock once per call, and read r.rates directly while you hold it."

const reentrantRates = "deadlock: re-entrant locking. A single Convert, with no writer anywhere, never finished: " +
	"it waits for a lock its own goroutine holds. (A sync.Mutex, or the write lock of a sync.RWMutex, " +
	"taken twice by one goroutine always deadlocks.)"

func testRates() *Rates {
	return NewRates(map[string]int64{"EUR": 100, "USD": 92, "GBP": 117})
}

// Task 4: Convert converts, under one read lock.
func TestRates_Convert(t *testing.T) {
	isolate(t, 5, reentrantRates, func(t *testing.T) {
		r := testRates()
		calls, unlocked, exclusive := 0, 0, 0
		whileReading = func() {
			calls++
			switch {
			case r.mu.TryLock():
				r.mu.Unlock()
				unlocked++
			case !r.mu.TryRLock():
				exclusive++
			default:
				r.mu.RUnlock()
			}
		}
		for _, c := range []struct {
			amount   int64
			from, to string
			want     int64
		}{
			{1000, "USD", "EUR", 920},
			{920, "EUR", "USD", 1000},
			{100, "GBP", "USD", 127}, // 11700 / 92 = 127.17, rounded down
			{500, "EUR", "EUR", 500},
		} {
			got, err := r.Convert(c.amount, c.from, c.to)
			assert.NoError(t, err)
			assert.Equal(t, c.want, got, katatest.Means("Convert(%d, %s, %s) is amount × rate(from) / rate(to)", 5), c.amount, c.from, c.to)
		}
		_, err := r.Convert(5, "XYZ", "EUR")
		assert.ErrorIs(t, err, ErrUnknownCurrency)
		_, err = r.Convert(5, "EUR", "XYZ")
		assert.ErrorIs(t, err, ErrUnknownCurrency)
		if exclusive > 0 {
			t.Error(katatest.Failure{
				Want:  "whileReading runs while Convert holds the read lock, so that another reader can get in at the same time",
				Got:   fmt.Sprintf("no other reader could take the read lock in %d of %d calls", exclusive, calls),
				Means: "Convert holds the write lock (Lock) where a read lock (RLock) is enough: conversions no longer run side by side, and every reader waits for every other reader. Take r.mu.RLock once",
				Hint:  5,
			})
		}
		if unlocked > 0 {
			t.Error(katatest.Failure{
				Want:  "whileReading runs while Convert holds the read lock",
				Got:   fmt.Sprintf("the lock was free in %d of %d calls", unlocked, calls),
				Means: "Convert does not read both rates under one read lock (or calls the hook outside it): a Set between the two reads would mix an old rate with a new one",
				Hint:  5,
			})
		}
		assert.Equal(t, 6, calls, katatest.Means("Convert calls whileReading once per call, with the read lock held; "+
			"keep the call, or the tests cannot force the deadlock", 5))
	})
}

// Task 4: a Set that arrives while Convert reads waits for Convert, and
// Convert does not wait for the Set.
//
// The hook pauses Convert while it holds the read lock, starts a Set in
// another goroutine, and waits until that Set is blocked in Lock. Only
// then does Convert go on: a second RLock now waits behind the writer,
// every run.
func TestRates_ConvertWhileSetting(t *testing.T) {
	isolate(t, 5, recursiveRLock, func(t *testing.T) {
		r := testRates()
		setDone := make(chan struct{})
		var once sync.Once
		setCurrency, setTo := "USD", int64(50)
		whileReading = func() {
			once.Do(func() {
				go setRate(r, setCurrency, setTo, setDone)
				waitBlocked("setRate", setDone, "sync.RWMutex.Lock", "sync.Mutex.Lock")
			})
		}
		got, err := r.Convert(1000, "USD", "EUR")
		<-setDone
		assert.NoError(t, err)
		assert.Equal(t, int64(920), got, katatest.Means("the Set arrived while Convert was reading, so Convert "+
			"still sees the old rate of USD, 92: 1000 × 92 / 100", 5))

		got, err = r.Convert(1000, "USD", "EUR")
		assert.NoError(t, err)
		assert.Equal(t, int64(500), got, katatest.Means("after Set, USD is 50: 1000 × 50 / 100", 5))
		if t.Failed() {
			return
		}

		// The same with a Set of the second currency: a Convert that lets go
		// of the read lock between its two reads lets the waiting Set in,
		// and reads the old rate of USD with the new rate of GBP.
		setDone = make(chan struct{})
		once = sync.Once{}
		setCurrency, setTo = "GBP", 200
		got, err = r.Convert(1000, "USD", "GBP")
		<-setDone
		whileReading = nil
		assert.NoError(t, err)
		if want := int64(1000 * 50 / 117); got != want {
			f := katatest.Failure{
				Want: fmt.Sprintf("a Set of GBP to 200 arrives while Convert(1000, USD, GBP) reads: Convert still sees "+
					"the old rate, 1000 × 50 / 117 = %d", want),
				Got:   fmt.Sprintf("%d", got),
				Means: "Convert does not read both rates under one read lock: it released the read lock between the two reads, the waiting Set got in, and an old rate was mixed with a new one. Take r.mu.RLock once, and read both rates before the (deferred) RUnlock",
				Hint:  5,
			}
			t.Error(f)
		}
	})
}

// Task 4: Rate reads the map under the read lock: a Set in another
// goroutine writes it under the write lock, and a Rate that reads it
// without the lock is a data race, which -race reports on every run.
func TestRates_RateWhileSetting(t *testing.T) {
	isolate(t, 5, recursiveRLock, func(t *testing.T) {
		r := testRates()
		setDone := make(chan struct{})
		go setRate(r, "USD", 50, setDone)
		rate, ok := r.Rate("USD")
		<-setDone
		if !ok || (rate != 92 && rate != 50) {
			t.Errorf("Rate(USD) while a Set changes it from 92 to 50: got %d, %v; want 92 or 50, true", rate, ok)
		}
	})
}

// setRate is the writer of TestRates_ConvertWhileSetting; the test finds it
// by name on the goroutine stacks.
func setRate(r *Rates, currency string, rate int64, done chan<- struct{}) {
	defer close(done)
	r.Set(currency, rate)
}
