package isolated

import (
	"sync"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Task 1: two calls in opposite orders, forced to hold their first lock at
// the same time.
func TestOpposite(t *testing.T) {
	katatest.Isolate(t, katatest.Isolation{Hint: 2, Deadlocks: true}, func(t *testing.T) {
		var a, b sync.Mutex
		held := katatest.NewBarrier(2)
		var wg sync.WaitGroup
		wg.Go(func() { Both(&a, &b, func() { held.Wait() }) })
		wg.Go(func() { Both(&b, &a, func() { held.Wait() }) })
		wg.Wait()
	})
}
