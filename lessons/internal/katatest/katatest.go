// Package katatest is the course's test kit: the pieces that every lesson's
// tests share, so that every lesson fails in the same plain way and points the
// learner to the same places.
//
// A lesson's test file uses it like this:
//
//	func TestMain(m *testing.M) { katatest.Main(m) }
//
//	func TestDeposit(t *testing.T) {
//		katatest.Bubble(t, 2, func(t *testing.T) { // a hang or a leak points to hint 2
//			took := katatest.Elapsed(func() { ... })
//			assert.Equal(t, 300*time.Millisecond, took, katatest.Means("the calls ran one after another", 1))
//		})
//	}
//
// The parts:
//
//   - Main runs the tests and then fails the package if goroutines they
//     started are still running (goleak).
//   - Bubble runs a test in a testing/synctest bubble, under a Watchdog, and
//     fails it as a leak if it leaves goroutines behind (BubbleGoroutines
//     lets a lesson name such a leak in its own words).
//   - Watchdog and WatchdogAfter turn a deadlock or a hang that synctest
//     cannot see into a failing test that shows the stuck goroutines
//     (TrimStacks trims a dump the same way).
//   - Elapsed and Advance read and move a bubble's fake clock.
//   - Barrier forces an interleaving.
//   - Isolate runs a test in a child process, for code that can do worse
//     than fail (a fatal error, a deadlock), with a deadlock detector on
//     request.
//   - Failure and Means word failure messages in one shape; Count and Times
//     word counts in them.
//   - AddInsideGo checks the learner's source for what no test can force.
//
// The kit says which kind of failure it saw with the marker lines of
// tools/evidence (##kata:hang, ##kata:deadlock, ##kata:leak), which the
// course tool reads; the words of its messages are for the learner. The
// examples in example_test.go (and ExampleIsolate in isolate_test.go) show
// the parts in use.
package katatest

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/gokatas/concurrency/tools/evidence"
)

// Main runs a lesson's tests and then fails the package if any goroutine the
// tests started is still running. Call it from the lesson's TestMain:
//
//	func TestMain(m *testing.M) { katatest.Main(m) }
//
// The leak check runs only when every test passed, so that it never hides
// the first, more useful failure. A leak is reported with a leak marker
// (evidence.Leak) and goleak's list of the goroutines, and exits with 1.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			evidence.Write(os.Stdout, evidence.Leak, "")
			fmt.Println("goroutine leak: the tests passed, but goroutines they started are still running.")
			fmt.Println("Each goroutine below was started by the lesson's code and never returned: it is blocked")
			fmt.Println("on a channel or lock nobody will release, or it loops with no way to stop.")
			fmt.Printf("%v\nFAIL\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// Failure is the one shape of a lesson's failure message: what the test
// expected, what happened, what that means, and which hint to read.
// Its String method lays these out on labelled lines.
type Failure struct {
	Want  string // what the test expected
	Got   string // what actually happened
	Means string // what it means, in the lesson's words: "a lost update"
	Hint  int    // the hint in hints.md that fits; 0 for none
}

// String lays f out for a test's output, starting with a newline: one
// labelled line for each field that is set (expected, got, means, hint),
// continuation lines indented under the text.
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
