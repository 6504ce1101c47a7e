package katatest

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/tools/evidence"
)

// settleLimit is how much fake time Bubble gives goroutines that are still
// sleeping after the test function returned before it calls them stuck.
const settleLimit = 10 * time.Minute

// Bubble runs f in a testing/synctest bubble, under a Watchdog, and checks
// what f left behind. It is the usual way to start a lesson test that
// involves time or goroutines:
//
//	func TestAll(t *testing.T) {
//		katatest.Bubble(t, 2, func(t *testing.T) { ... })
//	}
//
// When f returns, every goroutine that f's code started must have returned
// too. If some are still running, Bubble fails the test as a goroutine leak,
// with a leak marker (evidence.Leak), naming hint and showing where they are
// in the lesson's files. It then lets
// the ones that are only sleeping finish, so that the test ends with its own
// failure rather than synctest's "blocked goroutines remain" panic.
// Goroutines blocked forever (on a channel nobody will use again) cannot be
// ended: for those Bubble reports the leak as a failure of the test, and
// synctest's panic then ends the test binary, after the test's messages.
//
// hint is the hint to read if the test hangs or leaks.
func Bubble(t *testing.T, hint int, f func(t *testing.T)) {
	t.Helper()
	dir := callerDir()
	WatchdogAfter(t, limit(), hint)
	name := t.Name()
	synctest.Test(t, func(t *testing.T) {
		t.Cleanup(func() { settle(t, name, dir, hint) })
		f(t)
	})
}

func settle(t *testing.T, name, dir string, hint int) {
	synctest.Wait()
	first := bubbleGoroutines()
	if first == "" {
		return
	}
	failedBefore := t.Failed()
	judged := takeJudged(bubbleOf(allStacksOf(false)))
	left := first
	for step := time.Millisecond; step <= settleLimit && left != ""; step *= 2 {
		time.Sleep(step)
		synctest.Wait()
		left = bubbleGoroutines()
	}
	// One report per leak. What is left now is blocked forever: say so
	// through t, then return. synctest.Test panics because the bubble cannot
	// end, and the testing package prints every message of the test, this
	// one included, before the panic ends the test binary. (Ending it here
	// with os.Exit would lose the test's earlier messages, which go test
	// buffers.)
	switch {
	case left != "" && judged && failedBefore:
		// The lesson's test named this leak in its own words already.
		t.Log(marked(name, "the goroutines named above are blocked forever, so synctest ends the test binary after this test."))
	case left != "":
		t.Error(marked(name, Failure{
			Want: "no goroutine blocked forever when the test ends",
			Got: fmt.Sprintf("goroutines started by %s are blocked forever, so the test cannot end.\n"+
				"They wait on a channel or a lock that nothing will ever release:\n%s",
				name, strings.TrimRight(trimOrAll(left, dir), "\n")),
			Means: "goroutine leak: these goroutines can never return, and each one holds its memory until the program exits",
			Hint:  hint,
		}.String()))
	case !failedBefore:
		t.Error(marked(name, Failure{
			Want:  "every goroutine started by the code under test has returned when the call returns",
			Got:   "goroutines still running after the test was done:\n" + strings.TrimRight(trimOrAll(first, dir), "\n"),
			Means: "goroutine leak: the code returned but left goroutines behind, working or blocked",
			Hint:  hint,
		}.String()))
	}
}

// marked puts the leak marker on a line of its own before text, so that
// the course tool tells the leak from the test's other failures.
func marked(test, text string) string {
	return "\n" + evidence.Line(evidence.Leak, test) + strings.TrimPrefix(text, "\n")
}

func trimOrAll(dump, dir string) string {
	if trimmed := evidence.TrimLeaks(dump, evidence.Dir(filepath.ToSlash(dir))); trimmed != "" {
		return trimmed
	}
	return dump
}

// BubbleGoroutines returns, in the format of runtime.Stack, the goroutines of
// the caller's synctest bubble other than the caller and the bubble's own
// machinery: after synctest.Wait, the goroutines that the code under test
// left behind. It returns "" outside a bubble. A lesson can use it to name a
// leak in its own words (an orphaned sender, say) before Bubble's generic
// report: when it returns goroutines and the test then fails, Bubble does not
// report the same leak again.
func BubbleGoroutines() string {
	left := bubbleGoroutines()
	if left != "" {
		judgedBubbles.Store(bubbleOf(allStacksOf(false)), true)
	}
	return left
}

// judgedBubbles holds the bubbles whose leftovers a lesson's test looked at.
var judgedBubbles sync.Map // bubble ("synctest bubble 3") → true

func takeJudged(bubble string) bool {
	_, ok := judgedBubbles.LoadAndDelete(bubble)
	return ok
}

func bubbleGoroutines() string {
	self := allStacksOf(false)
	return othersInBubble(string(self), string(allStacks()))
}

// othersInBubble returns, in the format of runtime.Stack, the goroutines
// of dump that are in the bubble of the goroutine whose own stack is self,
// other than that goroutine and the test machinery (the bubble's root).
// The goroutine is recognised by its number, not by its header: the
// header's state can differ between the two dumps ("running (scan)" while
// the garbage collector scans it), and then the caller, the kit's own leak
// checker, would be reported as a leak.
func othersInBubble(self, dump string) string {
	me := evidence.Current(self)
	bubble := me.Bubble()
	if bubble == "" {
		return ""
	}
	var out strings.Builder
	for _, g := range evidence.ParseGoroutines(dump) {
		if g.ID != me.ID && g.Bubble() == bubble && !g.Harness() {
			out.WriteString(g.String() + "\n")
		}
	}
	return out.String()
}

// bubbleOf returns "synctest bubble N" from a goroutine's own stack, or ""
// outside a bubble.
func bubbleOf(self []byte) string { return evidence.Current(string(self)).Bubble() }
