package lockpitfalls

import (
	"os"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the lesson's own test helpers.
//
// A deadlocked goroutine can never be ended: it waits for a lock or a
// channel that nothing will ever release. So every test runs its body in a
// child process (katatest.Isolate) with a deadlock detector: when every one
// of the body's goroutines is blocked on a lock or a channel, and none can
// run, nothing can ever wake them, and the child prints them and fails at
// once, within milliseconds. The stuck goroutines end with the child, and
// the other tests still run. explain adds which pitfall that means.

// lessonPkg is the import path of the lesson's package, as it appears in
// stack traces.
var lessonPkg = reflect.TypeFor[Account]().PkgPath()

// isolate runs body in a child process, with a deadlock detector (see
// katatest.Isolate and Isolation.Deadlocks). deadlock says, in the
// lesson's words, which pitfall a deadlock in this test means; hint is the
// hint to read.
//
// body runs in a goroutine of its own, not in the test's goroutine, so it
// must report failures with t.Error (or assert), never with t.Fatal or
// require. Every goroutine it starts must have returned when it returns.
func isolate(t *testing.T, hint int, deadlock string, body func(t *testing.T)) {
	t.Helper()
	// The parent only waits for its child, so the tests run side by side.
	t.Parallel()
	katatest.Isolate(t, katatest.Isolation{
		Hint:      hint,
		Deadlocks: true,
		Explain:   func(c katatest.ChildResult) string { return explain(c, deadlock, hint) },
	}, body)
}

// waitBlocked waits until a goroutine with the lesson's function fn on its
// stack (such as "publishEvents") is blocked with one of reasons, and reports
// whether it saw that. It gives up and returns false when done is closed
// (the goroutine finished without blocking), or after a third of the
// watchdog's limit of real time, for code that blocks somewhere else: code
// that blocks there does so within microseconds.
func waitBlocked(fn string, done <-chan struct{}, reasons ...string) bool {
	deadline := time.Now().Add(watchdogLimit() / 3)
	for time.Now().Before(deadline) {
		if blockedIn(string(stacks()), lessonPkg+"."+fn+"(", reasons) {
			return true
		}
		select {
		case <-done:
			return false
		case <-time.After(time.Millisecond):
		}
	}
	return false
}

func watchdogLimit() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("KATA_WATCHDOG")); err == nil && d > 0 {
		return d
	}
	return katatest.DefaultLimit
}

// blockedIn reports whether a goroutine of dump has frame (a function's
// name with its import path, up to its argument list) on its stack and
// waits with one of reasons. The dump is read by the course's one parser of
// goroutine dumps, package evidence.
func blockedIn(dump, frame string, reasons []string) bool {
	for _, g := range evidence.ParseGoroutines(dump) {
		reason, _, _ := strings.Cut(g.State, ", ")
		if !slices.Contains(reasons, reason) {
			continue
		}
		for _, f := range g.Frames {
			if !f.CreatedBy && strings.HasPrefix(f.Func, frame) {
				return true
			}
		}
	}
	return false
}

func stacks() []byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

const returns = "every call returns: no goroutine waits forever for a lock or a channel"

// explain turns what a failed child showed into the lesson's message, or
// "" when the child's own messages say it all.
func explain(c katatest.ChildResult, deadlock string, hint int) string {
	out := c.Output
	switch {
	case c.Deadlocked:
		return katatest.Failure{
			Want:  returns,
			Got:   "the goroutines above wait for each other, and none of them can ever move again",
			Means: deadlock,
			Hint:  hint,
		}.String()
	case c.Hung:
		return katatest.Failure{
			Want: returns,
			Got:  "the test was stopped as a hang (above)",
			Means: "a hang that the deadlock detector could not see: a goroutine that spins (loops without " +
				"ever blocking), or one that waits in a select or a sleep for something that never comes. " +
				"If a lock is part of it, it may be this pitfall: " + deadlock,
			Hint: hint,
		}.String()
	}
	if m := fatalRE.FindStringSubmatch(out); m != nil {
		return katatest.Failure{
			Want: "every Unlock matches one Lock, on every path through the function",
			Got:  "the Go runtime stopped the test program: fatal error: " + m[1],
			Means: "Unlock called twice: a path unlocks a mutex that is no longer locked, often a deferred Unlock " +
				"plus an explicit one before a return. It is a fatal error that recover cannot catch. " +
				"Use one defer right after Lock, and no other Unlock.",
			Hint: 2,
		}.String()
	}
	if evidence.Signal(out, evidence.RaceSignal) {
		return katatest.Failure{
			Want: "no data race: everything the lock protects is read and written with the lock held",
			Got:  "-race reported a data race (above)",
			Means: "data race: memory that the lock protects was used without the lock (no Lock at all, or after " +
				"Unlock), while another goroutine changed it with the lock held. Hold the lock for every read and " +
				"write of what it protects; after Unlock, use only copies made while you held it.",
			Hint: hint,
		}.String()
	}
	return ""
}

var fatalRE = regexp.MustCompile(`fatal error: (sync: R?[Uu]nlock of unlocked (?:RW)?[Mm]utex)`)
