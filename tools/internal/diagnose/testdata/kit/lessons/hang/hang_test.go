package hang

import (
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Task 1: a test that passes.
func TestQuick(t *testing.T) {}

// Task 2: a test that hangs.
func TestTwice(t *testing.T) {
	katatest.Watchdog(t, 2)
	Twice()
}
