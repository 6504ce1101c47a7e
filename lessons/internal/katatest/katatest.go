// Package katatest is the course's test kit: the pieces that every lesson's
// tests share, so that every lesson fails in the same plain way and points the
// learner to the same places.
//
// A lesson's test file uses it like this:
//
//	func TestMain(m *testing.M) { katatest.Main(m) }
//
//	func TestDeposit(t *testing.T) {
//		katatest.Watchdog(t, 2) // a hang fails the test and points to hint 2
//		synctest.Test(t, func(t *testing.T) {
//			took := katatest.Elapsed(func() { ... })
//			assert.Equal(t, 300*time.Millisecond, took, katatest.Means("the calls ran one after another", 1))
//		})
//	}
//
// The kit has four parts: a leak check (Main), a real-time watchdog
// that turns a deadlock or a hang into a failing test with the stuck
// goroutines' stacks (Watchdog), fake-time helpers for testing/synctest
// bubbles (Elapsed, Advance), a barrier that forces an interleaving
// (Barrier), and one wording for failure messages (Failure, Means).
package katatest

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// Main runs a lesson's tests and then fails the package if any goroutine the
// tests started is still running. Call it from the lesson's TestMain:
//
//	func TestMain(m *testing.M) { katatest.Main(m) }
//
// The leak check runs only when every test passed, so that it never hides
// the first, more useful failure.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Printf("%s the tests passed, but goroutines they started are still running.\n", LeakMarker)
			fmt.Println("Each goroutine below was started by the lesson's code and never returned: it is blocked")
			fmt.Println("on a channel or lock nobody will release, or it loops with no way to stop.")
			fmt.Printf("%v\nFAIL\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// LeakMarker starts the report that Main prints when goroutines outlive the
// tests. The course tool looks for it, and for goleak's own "found unexpected
// goroutines", to tell a leak from an ordinary failure.
const LeakMarker = "goroutine leak:"

// Failure is the one shape of a lesson's failure message: what the test
// expected, what happened, what that means, and which hint to read.
// Its String method lays these out on labelled lines.
type Failure struct {
	Want  string // what the test expected
	Got   string // what actually happened
	Means string // what it means, in the lesson's words: "a lost update"
	Hint  int    // the hint in hints.md that fits; 0 for none
}

func (f Failure) String() string {
	var b strings.Builder
	line := func(label, text string) {
		if text == "" {
			return
		}
		text = strings.ReplaceAll(text, "\n", "\n          ")
		fmt.Fprintf(&b, "%8s: %s\n", label, text)
	}
	b.WriteString("\n")
	line("expected", f.Want)
	line("got", f.Got)
	line("means", f.Means)
	if f.Hint > 0 {
		line("hint", hintRef(f.Hint))
	}
	return b.String()
}

// Means words the teaching part of a failure message for testify's
// msgAndArgs: testify already prints what was expected and what the code
// returned, and this adds what that means and which hint to read.
//
//	assert.Equal(t, 12, got, katatest.Means("two increments read the same value: a lost update", 2))
func Means(meaning string, hint int) string {
	if hint <= 0 {
		return "means: " + meaning
	}
	return "means: " + meaning + "\nhint:  " + hintRef(hint)
}

func hintRef(hint int) string {
	return fmt.Sprintf("read Hint %d in this lesson's hints.md", hint)
}
