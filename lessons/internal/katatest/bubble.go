package katatest

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"
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
// naming hint and showing where they are in the lesson's files. It then lets
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
	left := bubbleGoroutines()
	if left == "" {
		return
	}
	if !t.Failed() {
		t.Error(Failure{
			Want:  "every goroutine started by the code under test has returned when the call returns",
			Got:   "goroutines still running after the test was done:\n" + strings.TrimRight(trimOrAll(left, dir), "\n"),
			Means: "goroutine leak: the code returned but left goroutines behind, working or blocked",
			Hint:  hint,
		})
	}
	for step := time.Millisecond; step <= settleLimit; step *= 2 {
		time.Sleep(step)
		synctest.Wait()
		if left = bubbleGoroutines(); left == "" {
			return
		}
	}
	// What is left is blocked forever. Say so through t, then return:
	// synctest.Test panics because the bubble cannot end, and the testing
	// package prints every message of the test, this one included, before
	// the panic ends the test binary. (Ending it here with os.Exit would
	// lose the test's earlier messages, which go test buffers.)
	t.Error(Failure{
		Want: "no goroutine blocked forever when the test ends",
		Got: fmt.Sprintf("%s goroutines started by %s are blocked forever, so the test cannot end.\n"+
			"They wait on a channel or a lock that nothing will ever release:\n%s",
			LeakMarker, name, strings.TrimRight(trimOrAll(left, dir), "\n")),
		Means: "goroutine leak: these goroutines can never return, and each one holds its memory until the program exits",
		Hint:  hint,
	})
}

func trimOrAll(dump, dir string) string {
	if trimmed := TrimStacks(dump, dir); trimmed != "" {
		return trimmed
	}
	return dump
}

// BubbleGoroutines returns, in the format of runtime.Stack, the goroutines of
// the caller's synctest bubble other than the caller and the bubble's own
// machinery: after synctest.Wait, the goroutines that the code under test
// left behind. It returns "" outside a bubble. A lesson can use it to name a
// leak in its own words (an orphaned sender, say) before Bubble's generic
// report.
func BubbleGoroutines() string { return bubbleGoroutines() }

func bubbleGoroutines() string {
	self := headerOf(string(allStacksOf(false)))
	bubble := ""
	if i := strings.Index(self, "synctest bubble "); i >= 0 {
		bubble = strings.TrimRight(self[i:], "]:")
	}
	if bubble == "" {
		return ""
	}
	var out strings.Builder
	for _, block := range strings.Split(string(allStacks()), "\n\n") {
		block = strings.TrimSpace(block)
		lines := strings.Split(block, "\n")
		if len(lines) < 2 || lines[0] == self || !strings.Contains(lines[0], bubble+"]") {
			continue
		}
		first := strings.TrimSpace(lines[1])
		if strings.HasPrefix(first, "internal/synctest.Run(") ||
			strings.HasPrefix(first, "testing/synctest.testingSynctestTest(") {
			continue
		}
		out.WriteString(block + "\n\n")
	}
	return out.String()
}

func headerOf(stack string) string {
	header, _, _ := strings.Cut(stack, "\n")
	return header
}
