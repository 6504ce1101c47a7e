package prose

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Task 1.
func TestMerge_Both(t *testing.T) {
	assert.Len(t, Merge([]int{1}, []int{2}), 2,
		katatest.Means("goroutine leak: Emit ignores done, so a panic: send on closed channel may follow", 2))
}

// Task 2.
func TestMerge_Empty(t *testing.T) {
	katatest.Watchdog(t, 3)
	assert.Empty(t, Merge(nil, nil))
}
