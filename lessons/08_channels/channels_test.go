package channels

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
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

// receiveSlowly receives from ch like receiveAll, as a consumer that is busy
// for pause (of fake time) after each event before it receives again: a
// sender that gives up when nobody is waiting loses events to it.
func receiveSlowly(ch <-chan string, pause time.Duration, max int) ([]string, arrival) {
	var got []string
	for len(got) < max {
		v, a := receive(ch)
		if a != gotValue {
			return got, a
		}
		got = append(got, v)
		time.Sleep(pause)
	}
	return got, gotValue
}

// failAs reports f with the marker of kind before it, so that the course
// tool names what the test saw (a consumer stuck forever, a goroutine that
// cannot end) and not merely "test failed". See tools/evidence.
func failAs(t *testing.T, kind evidence.Kind, f katatest.Failure) {
	t.Helper()
	t.Error(evidence.Errorf(kind, t.Name(), "%s", strings.TrimPrefix(f.String(), "\n")))
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
			return fmt.Sprintf("%s %q; %q and after it are missing", katatest.Count(len(got), "event"), got, want[i])
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

// Freeing the test's own goroutines.
//
// A test that starts goroutines of its own (fake sources, inputs) or leaves
// Emit's or Merge's output unread registers, with t.Cleanup, a function that
// stops them (closes done, aborts the fake sources) and drains the output.
// Cleanups registered inside the bubble run before katatest.Bubble looks for
// goroutines left behind, so code under test that is only waiting for the
// test can return, and what Bubble still finds is the code's own leak.
