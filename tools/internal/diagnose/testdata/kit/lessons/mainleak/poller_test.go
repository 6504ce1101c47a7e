package mainleak

import (
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Task 1: the test passes; the leak check after it does not.
func TestPoll(t *testing.T) { Poll() }
