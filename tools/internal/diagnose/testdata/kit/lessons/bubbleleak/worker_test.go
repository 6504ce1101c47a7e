package bubbleleak

import (
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Task 1: the worker must not outlive Start.
func TestStart(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		Start()
	})
}
