package dataraces

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const counterRace = "data race on the counter: Inc and Value use the same count from many goroutines at once, " +
	"and nothing orders their accesses. Use an atomic.Int64 (Add and Load), or guard every access, reads " +
	"included, with one sync.Mutex."

// Task 1: a Counter counts, starting from its zero value.
func TestCounter_ZeroValue(t *testing.T) {
	katatest.Watchdog(t, 1)
	var c Counter
	assert.Equal(t, int64(0), c.Value(), katatest.Means("the zero Counter counts from 0", 1))
	c.Inc()
	c.Inc()
	c.Inc()
	assert.Equal(t, int64(3), c.Value(), katatest.Means("three calls to Inc are three views", 1))
}

// Task 1: no increment is lost when goroutines increment at once.
func TestCounter_ConcurrentIncrements(t *testing.T) {
	isolate(t, 1, counterRace, func(t *testing.T) {
		const goroutines, each = 8, 20000
		var c Counter
		hammer(goroutines, func(int) {
			for range each {
				c.Inc()
			}
		})
		checkCount(t, "the counter", goroutines*each, c.Value(), 1)
	})
}

// Task 2: Value may be called while Inc runs, and never goes backwards.
func TestCounter_ReadWhileIncrementing(t *testing.T) {
	isolate(t, 2, counterRace, func(t *testing.T) {
		var c Counter
		var last int64
		var backwards string
		writes := interleave(50, func() func() {
			v := c.Value()
			if v < last && backwards == "" {
				backwards = fmt.Sprintf("Value returned %d after it had returned %d", v, last)
			}
			last = v
			return nil
		}, func(int) { c.Inc() })
		if backwards != "" {
			t.Error(katatest.Failure{
				Want:  "Value never goes down while Inc is called",
				Got:   backwards,
				Means: "Value read a stale or torn count: the read is not ordered with the writes",
				Hint:  2,
			})
		}
		checkCount(t, "the counter", writes, c.Value(), 2)
	})
}
