package channels

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the helpers that the lesson's tests share. Every test runs
// in a katatest.Bubble, so time is fake: waiting a minute for something that
// never comes costs no real time at all, because the fake clock jumps ahead
// as soon as every goroutine is blocked.

// patience is how long, in fake time, a test waits for something that should
// happen at once (an event, a close, a return) before it calls it "never".
const patience = time.Minute

const ms = time.Millisecond

// An arrival is what a receive saw.
type arrival int

const (
	gotValue  arrival = iota // a value arrived
	gotClosed                // the channel was closed
	gotNone                  // nothing arrived (within patience, or at once for poll)
)

// receive waits up to patience of fake time for ch.
func receive(ch <-chan string) (string, arrival) {
	select {
	case v, ok := <-ch:
		if !ok {
			return "", gotClosed
		}
		return v, gotValue
	case <-time.After(patience):
		return "", gotNone
	}
}

// poll receives from ch only if it is ready right now.
func poll(ch <-chan string) (string, arrival) {
	select {
	case v, ok := <-ch:
		if !ok {
			return "", gotClosed
		}
		return v, gotValue
	default:
		return "", gotNone
	}
}

// receiveAll receives from ch, as a consumer's range loop would, until ch
// is closed (gotClosed), nothing arrives for patience (gotNone), or it has
// max events (gotValue).
func receiveAll(ch <-chan string, max int) ([]string, arrival) {
	var got []string
	for len(got) < max {
		v, a := receive(ch)
		if a != gotValue {
			return got, a
		}
		got = append(got, v)
	}
	return got, gotValue
}

// drain frees a goroutine that is blocked sending on ch, so that it can
// reach its return: it receives until ch is closed, nothing arrives for
// patience, or it has taken 1000 values.
func drain(ch <-chan string) {
	if ch != nil {
		receiveAll(ch, 1000)
	}
}

// call runs f in a goroutine of its own and waits up to patience of fake time
// for it to return. It reports whether f returned. A call that never returns
// leaves that goroutine behind, and the test reports why.
func call[T any](f func() T) (T, bool) {
	res := make(chan T, 1) // buffered: a late f can still deliver and return
	go func() { res <- f() }()
	select {
	case v := <-res:
		return v, true
	case <-time.After(patience):
		var zero T
		return zero, false
	}
}

// firstDifference describes the first place where got differs from want, or
// returns "" if they are equal. Long slices are not printed whole.
func firstDifference(want, got []string) string {
	for i := range want {
		if i >= len(got) {
			return fmt.Sprintf("%d events %q; %q and after it are missing", len(got), got, want[i])
		}
		if got[i] != want[i] {
			return fmt.Sprintf("event %d is %q, want %q (got %q)", i+1, got[i], want[i], got)
		}
	}
	if len(got) > len(want) {
		return fmt.Sprintf("%d extra events after the last one: first %q (got %q)", len(got)-len(want), got[len(want)], got)
	}
	return ""
}

// hasEmpty reports whether one of the events is "", the zero value of a
// string: what a receive from a closed channel returns.
func hasEmpty(events []string) bool {
	for _, e := range events {
		if e == "" {
			return true
		}
	}
	return false
}

// Failures and goroutines left blocked forever.
//
// When code under test leaves a goroutine blocked forever, katatest.Bubble
// prints a leak report and ends the test binary. The testing package prints
// a test's messages only when the test finishes, which then never happens.
// So fail also keeps each message, and afterTest prints them itself when it
// sees that the binary is about to end.

var lastWords struct {
	mu     sync.Mutex // protects byTest
	byTest map[string][]string
}

// fail reports f and keeps it for afterTest.
func fail(t *testing.T, f katatest.Failure) {
	t.Helper()
	t.Error(f)
	lastWords.mu.Lock()
	defer lastWords.mu.Unlock()
	if lastWords.byTest == nil {
		lastWords.byTest = make(map[string][]string)
	}
	lastWords.byTest[t.Name()] = append(lastWords.byTest[t.Name()], f.String())
}

// afterTest registers free to run when the test function returns, before
// katatest.Bubble looks for goroutines left behind. free stops the test's
// own goroutines (closes done, stops fake sources) and drains outputs, so
// that code under test which is only waiting for them can return. If the
// test failed and some goroutine is still blocked forever afterwards, the
// binary is about to end: afterTest prints the test's failures first.
func afterTest(t *testing.T, free func()) {
	t.Cleanup(func() {
		free()
		if !t.Failed() {
			return // a leak in a passing test is reported by Bubble alone
		}
		time.Sleep(time.Hour) // every fake source and input has finished by now
		synctest.Wait()
		if !blockedForever() {
			return
		}
		lastWords.mu.Lock()
		words := lastWords.byTest[t.Name()]
		lastWords.mu.Unlock()
		var b strings.Builder
		fmt.Fprintf(&b, "--- FAIL: %s\n", t.Name())
		b.WriteString("    The test failed, and the code under test left goroutines blocked forever, which ends\n")
		b.WriteString("    the test binary before go test prints the failures. They were:\n")
		for _, w := range words {
			b.WriteString(strings.ReplaceAll(w, "\n", "\n    "))
		}
		b.WriteString("\n")
		os.Stdout.WriteString(b.String())
	})
}

// blockedForever reports whether goroutines other than the caller are still
// in the caller's synctest bubble. Called after synctest.Wait once every fake
// timer has fired, it finds the goroutines that nothing will ever wake. (The
// kit keeps its own version of this unexported; this is the lesson's copy.)
func blockedForever() bool {
	buf := make([]byte, 1<<20)
	self := string(buf[:runtime.Stack(buf, false)])
	self, _, _ = strings.Cut(self, "\n")
	i := strings.Index(self, "synctest bubble ")
	if i < 0 {
		return false
	}
	bubble := strings.TrimRight(self[i:], "]:") + "]"
	n := runtime.Stack(buf, true)
	for n == len(buf) {
		buf = make([]byte, 2*len(buf))
		n = runtime.Stack(buf, true)
	}
	for _, block := range strings.Split(string(buf[:n]), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) < 2 || lines[0] == self || !strings.Contains(lines[0], bubble) {
			continue
		}
		first := strings.TrimSpace(lines[1])
		if strings.HasPrefix(first, "internal/synctest.Run(") ||
			strings.HasPrefix(first, "testing/synctest.testingSynctestTest(") {
			continue
		}
		return true
	}
	return false
}
