package cancellation

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the helpers that the lesson's tests share.

// lessonDir is this lesson's directory; goroutine stacks are trimmed to its files.
var lessonDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}()

// ms shortens durations in test tables: ms(95) is 95 milliseconds.
func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// A report is where a test states its failures. It adds one check that
// several tests share: no goroutine left behind.
type report struct {
	t *testing.T
}

func (r *report) fail(f katatest.Failure) {
	r.t.Helper()
	r.t.Error(f)
}

// noLeftovers gives the goroutines of the bubble an hour of fake time to
// end (nothing in these tests takes that long), then fails the test if any
// is still there: it is blocked forever. blockedSend explains a goroutine
// stuck sending on a channel (alone or in a select); other explains any
// other leftover.
func (r *report) noLeftovers(blockedSend, other string, hint int) {
	r.t.Helper()
	katatest.Advance(time.Hour)
	left := katatest.BubbleGoroutines()
	if left == "" {
		return
	}
	means := other
	if strings.Contains(left, "[chan send") || strings.Contains(left, "[select") {
		means = blockedSend
	}
	stacks := katatest.TrimStacks(left, lessonDir)
	if stacks == "" {
		stacks = left
	}
	r.fail(katatest.Failure{
		Want:  "every goroutine the code started has returned an hour (of fake time) after the call",
		Got:   "goroutines blocked forever (the wait reason is in brackets):\n" + strings.TrimRight(stacks, "\n"),
		Means: means,
		Hint:  hint,
	})
}

// An outcome is what a call returned, and when, in fake time since the
// test started.
type outcome struct {
	err error
	at  time.Duration
}

// start runs f in a goroutine of its own; the channel receives its outcome.
func start(begin time.Time, f func() error) <-chan outcome {
	out := make(chan outcome, 1)
	go func() {
		err := f()
		out <- outcome{err: err, at: time.Since(begin)}
	}()
	return out
}

// returned reports whether out has delivered, without waiting.
func returned(out <-chan outcome) (outcome, bool) {
	select {
	case o := <-out:
		return o, true
	default:
		return outcome{}, false
	}
}

// await waits up to an hour of fake time for out; ok is false if nothing
// came by then.
func await(out <-chan outcome) (o outcome, ok bool) {
	select {
	case o := <-out:
		return o, true
	case <-time.After(time.Hour):
		return outcome{}, false
	}
}

// errText prints an error for a message, "nil" included.
func errText(err error) string {
	if err == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", err.Error())
}

// instant prints a time since the test began, or none for -1.
func instant(d time.Duration, none string) string {
	if d < 0 {
		return none
	}
	return d.String()
}
