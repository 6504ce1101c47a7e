package selecttimeouts

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the helpers that every test of the lesson shares.

// lessonDir is this lesson's directory; stacks are trimmed to its files.
var lessonDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}()

// orphanMeans explains a goroutine that is stuck sending.
const orphanMeans = "orphaned sender: a goroutine is blocked forever sending a result that nobody " +
	"will ever receive, because the receiver stopped listening (it timed out, or another " +
	"backend won). Give the channel room for every send, or keep receiving until all senders are done"

// A judge reports a test's failures and checks, when the test is over, that
// the code under test left no goroutine behind, naming a goroutine stuck
// sending as an orphaned sender.
type judge struct {
	t         *testing.T
	leakMeans string // what a goroutine blocked forever means in this test
	leakHint  int
	checked   bool
}

// newJudge returns a judge for t. Call it first in the bubble. leakMeans and
// leakHint explain a goroutine that is still there at the end of the test
// (a goroutine stuck sending is always explained as an orphaned sender).
func newJudge(t *testing.T, leakMeans string, leakHint int) *judge {
	j := &judge{t: t, leakMeans: leakMeans, leakHint: leakHint}
	t.Cleanup(func() {
		if !j.checked {
			j.noLeftovers()
		}
	})
	return j
}

// fail reports f and lets the test go on.
func (j *judge) fail(f katatest.Failure) {
	j.t.Helper()
	j.t.Error(f)
}

// fatal reports f and ends the test (its cleanups still run).
func (j *judge) fatal(f katatest.Failure) {
	j.t.Helper()
	j.fail(f)
	j.t.FailNow()
}

// noLeftovers gives every goroutine of the bubble an hour of fake time to
// finish (no fake in these tests takes that long), then fails the test if
// any goroutine is still there: it is blocked forever.
func (j *judge) noLeftovers() {
	j.t.Helper()
	j.checked = true
	katatest.Advance(time.Hour)
	left := katatest.BubbleGoroutines()
	if left == "" {
		return
	}
	means := j.leakMeans
	if strings.Contains(left, "[chan send") {
		means = orphanMeans
	}
	stacks := katatest.TrimStacks(left, lessonDir)
	if stacks == "" {
		stacks = left
	}
	j.fail(katatest.Failure{
		Want:  "every goroutine started for the call has returned an hour (of fake time) after the test",
		Got:   "goroutines blocked forever (the wait reason is in brackets):\n" + strings.TrimRight(stacks, "\n"),
		Means: means,
		Hint:  j.leakHint,
	})
}
