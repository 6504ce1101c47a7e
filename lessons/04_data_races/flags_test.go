package dataraces

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const flagsRace = "data race on the flags map: Set wrote the map while other goroutines read or wrote it. " +
	"Enabled may share the read lock (RLock) with other readers; Set must take the write lock (Lock). " +
	"A write under RLock is not protected: RLock lets many goroutines in at once."

// Task 5: flags start from their defaults and change with Set.
func TestFlags_SetAndEnabled(t *testing.T) {
	katatest.Watchdog(t, 5)
	f := NewFlags(map[string]bool{"new-checkout": true, "old-search": false})
	require.NotNil(t, f, katatest.Means("NewFlags returns Flags ready to use", 5))
	assert.True(t, f.Enabled("new-checkout"), katatest.Means("a flag that is on in the defaults starts on", 5))
	assert.False(t, f.Enabled("old-search"), katatest.Means("a flag that is off in the defaults starts off", 5))
	assert.False(t, f.Enabled("dark-mode"), katatest.Means("a flag that was never set is off", 5))

	f.Set("dark-mode", true)
	f.Set("new-checkout", false)
	assert.True(t, f.Enabled("dark-mode"), katatest.Means("Set(name, true) turns the flag on", 5))
	assert.False(t, f.Enabled("new-checkout"), katatest.Means("Set(name, false) turns the flag off", 5))

	none := NewFlags(nil)
	require.NotNil(t, none, katatest.Means("NewFlags(nil) returns Flags with every flag off", 5))
	assert.False(t, none.Enabled("dark-mode"), katatest.Means("with nil defaults every flag starts off", 5))
	none.Set("dark-mode", true)
	assert.True(t, none.Enabled("dark-mode"), katatest.Means("Set works on Flags made from nil defaults", 5))
}

// Task 5: NewFlags keeps a map of its own, not the caller's.
func TestFlags_DefaultsAreCopied(t *testing.T) {
	katatest.Watchdog(t, 5)
	defaults := map[string]bool{"beta": true}
	f := NewFlags(defaults)
	require.True(t, f.Enabled("beta"), katatest.Means("a flag that is on in the defaults starts on", 5))

	defaults["beta"] = false
	defaults["gamma"] = true
	f.Set("delta", true)
	if !f.Enabled("beta") || f.Enabled("gamma") {
		t.Error(katatest.Failure{
			Want:  `after the caller changed its defaults map, "beta" is still on and "gamma" still off`,
			Got:   fmt.Sprintf(`beta on: %v, gamma on: %v`, f.Enabled("beta"), f.Enabled("gamma")),
			Means: "NewFlags kept the caller's map: whoever holds that map can change the flags without the lock",
			Hint:  5,
		})
	}
	if _, ok := defaults["delta"]; ok {
		t.Error(katatest.Failure{
			Want:  `the caller's defaults map has no "delta" after Set("delta", true)`,
			Got:   fmt.Sprint(defaults),
			Means: "NewFlags kept the caller's map: Set wrote into a map that the caller still uses",
			Hint:  5,
		})
	}
}

// Task 5: Enabled may be called while Set runs.
func TestFlags_ReadWhileSetting(t *testing.T) {
	isolate(t, 5, flagsRace, func(t *testing.T) {
		f := NewFlags(map[string]bool{"always-on": true})
		var off int
		interleave(50, func() func() {
			if !f.Enabled("always-on") {
				off++
			}
			return nil
		}, func(i int) {
			f.Set("new-checkout", i%2 == 0)
			f.Set(fmt.Sprintf("experiment-%d", i%100), true) // more flags: the map grows
		})
		if off > 0 {
			t.Error(katatest.Failure{
				Want:  `Enabled("always-on") is true in all 50 reads; nothing ever turns it off`,
				Got:   fmt.Sprintf("false in %d of 50 reads", off),
				Means: "Enabled does not see the flags it was given, or reads the map while Set writes it",
				Hint:  5,
			})
		}
	})
}

// Task 5: goroutines set different flags at once.
func TestFlags_ConcurrentSets(t *testing.T) {
	isolate(t, 5, flagsRace, func(t *testing.T) {
		const goroutines, each = 8, 200
		f := NewFlags(nil)
		hammer(goroutines, func(g int) {
			for i := range each {
				f.Set(fmt.Sprintf("flag-%d-%d", g, i), true)
			}
		})
		for g := range goroutines {
			for i := range each {
				if name := fmt.Sprintf("flag-%d-%d", g, i); !f.Enabled(name) {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("all %d flags that were set are on", goroutines*each),
						Got:   fmt.Sprintf("%q is off", name),
						Means: "a Set was lost: writes to the map at the same moment overwrote each other, or Set does not store the flag",
						Hint:  5,
					})
				}
			}
		}
	})
}

// Task 5: a reader is never left waiting behind a writer that waits for it.
//
// A reader that takes RLock twice (Enabled read-locks, then calls a helper
// that read-locks again) deadlocks as soon as a writer calls Lock between
// the two: the writer waits for the reader to leave, and the second RLock
// waits behind the writer. The test makes that happen every run. Its
// writer sets a flag whose name is many megabytes long, so every Set holds
// the write lock for a millisecond or so while the map hashes the name;
// readers that call Enabled meanwhile wait in their first RLock. When Set
// unlocks, they are let in together (each now holds a read lock), and the
// writer's next Set calls Lock before any of them has run on: the writer
// waits for them, and a second RLock would wait for the writer.
func TestFlags_ReadersWithAWriterWaiting(t *testing.T) {
	katatest.Isolate(t, katatest.Isolation{Hint: 5, Deadlocks: true, Explain: func(c katatest.ChildResult) string {
		return explainReaderDeadlock(c, recursiveRLocks(t, "."))
	}}, func(t *testing.T) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0))))
		// The writer goes on until the readers have read 100 times while it
		// was setting (on a busy machine their threads may not run at
		// first), at least 10 and at most 5000 Sets.
		// Where Flags' source shows a method that calls another one that
		// read-locks while it holds RLock, the writer goes on for up to two
		// seconds, until the deadlock shows.
		const readers, reads, least = 8, 100, 10
		suspect := len(recursiveRLocks(t, ".")) > 0
		most, until := 5000, time.Now().Add(2*time.Second)
		long := strings.Repeat("x", 8<<20)
		f := NewFlags(map[string]bool{"always-on": true})
		var writing atomic.Bool
		var done, off atomic.Int64
		writing.Store(true)
		var wg sync.WaitGroup
		wg.Go(func() {
			defer writing.Store(false)
			for i := 0; suspect && time.Now().Before(until) || i < most && (i < least || done.Load() < reads); i++ {
				f.Set(long, i%2 == 0)
			}
		})
		for range readers {
			wg.Go(func() {
				for writing.Load() {
					if !f.Enabled("always-on") {
						off.Add(1)
					}
					done.Add(1)
				}
			})
		}
		wg.Wait()
		if n := off.Load(); n > 0 {
			t.Error(katatest.Failure{
				Want:  `Enabled("always-on") is true in every read; nothing turns it off`,
				Got:   fmt.Sprintf("false in %d reads", n),
				Means: "Enabled does not see the flags it was given, or reads the map while Set writes it",
				Hint:  5,
			})
		}
	})
}

// explainReaderDeadlock names the deadlock of TestFlags_ReadersWithAWriterWaiting.
// places are the recursive read locks in the source.
func explainReaderDeadlock(c katatest.ChildResult, places []string) string {
	if !c.Hung {
		return ""
	}
	got := "deadlock: Set waits in Lock for readers to leave, and readers wait in RLock behind Set (the goroutines are above)"
	if len(places) > 0 {
		got += "\n" + strings.Join(places, "\n")
	}
	return katatest.Failure{
		Want: "Enabled and Set never wait for each other forever",
		Got:  got,
		Means: "recursive RLock with a writer in between: a reader that already holds the read lock takes RLock again " +
			"(Enabled calls a helper that read-locks). Once a writer waits in Lock, every new RLock waits behind it, " +
			"the second RLock too, and the writer waits for the first one. Take the read lock once per call: " +
			"let the helper assume the lock is held",
		Hint: 5,
	}.String()
}
