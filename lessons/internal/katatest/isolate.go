package katatest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gokatas/concurrency/tools/evidence"
)

// isolateEnv tells a test binary that it is a child started by Isolate, and
// names the test it is to run.
const isolateEnv = "KATA_ISOLATE_TEST"

// childLimit is the real-time limit of the child's own Watchdog, given the
// parent's bound on the child. The child's watchdog fires first, so that a
// hang is reported with the child's goroutines, which are the stuck ones;
// the parent's bound is the backstop.
var childLimit = func(bound time.Duration) time.Duration { return bound * 3 / 4 }

// An Isolation says how Isolate runs a test body in a child process and what
// it adds to the child's own messages. The zero value runs the body as it
// is, under a Watchdog with no hint.
type Isolation struct {
	// Hint is the hint in the lesson's hints.md that a hang or a deadlock
	// points to; 0 for none.
	Hint int

	// Deadlocks turns on a deadlock detector in the child. The body then
	// runs in a goroutine of its own, so it must report failures with
	// t.Error (or assert), never t.Fatal (or require). Every few
	// milliseconds the detector looks at the goroutines that have a frame
	// in the lesson's files; when all of them wait for a lock, a channel, a
	// WaitGroup or a Cond, three looks in a row, none can ever move again:
	// it prints them after a deadlock marker (evidence.Deadlock) and fails
	// the test at once, leaving them where they are (they end with the
	// child). Use it only
	// for bodies whose goroutines wait for nothing but each other: no
	// timers, no I/O.
	Deadlocks bool

	// Explain, if not nil, is called in the parent when the child failed.
	// It returns the lesson's teaching message for what the child showed,
	// which the parent reports with t.Error after the child's output, or ""
	// to add nothing.
	Explain func(c ChildResult) string
}

// A ChildResult is what a failed child showed, for an Isolation's Explain.
type ChildResult struct {
	// Output is everything the child printed, stdout and stderr in the
	// order printed, without go test's framing lines (see Isolate).
	Output string
	// Hung reports whether the child was reported as a deadlock or hang:
	// its output holds a deadlock marker (from its deadlock detector) or a
	// hang marker (from its Watchdog), or the parent stopped it at its time
	// bound.
	Hung bool
	// Deadlocked reports whether the child's output holds a deadlock
	// marker: its deadlock detector (see Isolation.Deadlocks) found the
	// test's goroutines all waiting for each other. Hung is then true too.
	Deadlocked bool
}

// Isolate runs body as the test t in a child process: a new run of the
// same test binary (built with -race if the parent was), at the same
// GOMAXPROCS, that runs only t, and in which Isolate calls body. A test
// isolates code that can do worse than fail: a data race on a map can stop
// the whole program with a fatal error that recover cannot catch, and a
// deadlocked goroutine can never be ended. Either ends the child, and the
// parent's other tests still run.
//
// The child runs under a Watchdog with a limit a little shorter than
// Isolate's own bound on the child, which is the Watchdog's limit. If the
// child is still running at that bound, Isolate kills it, writes a hang
// marker (evidence.Hang) for t to t's output, and fails t as a hang.
//
// Everything the child prints reaches t's output, except go test's framing
// lines ("=== RUN", "--- FAIL:", "--- PASS:", "--- SKIP:", "PASS", "FAIL",
// "ok  ", "exit status"), which Isolate drops so that go test -json in the
// parent does not take them for the parent's own: race reports, hang and
// leak markers, goroutine dumps, panics and the child's messages are kept,
// so the course tool reads them as if t had printed them. A child that
// passes is silent unless the parent runs with -test.v; a child that skips
// skips t.
//
// When t itself runs in a child started by Isolate (t is the isolated test
// or one of its subtests), Isolate calls body directly.
func Isolate(t *testing.T, iso Isolation, body func(t *testing.T)) {
	t.Helper()
	if name, ok := os.LookupEnv(isolateEnv); ok {
		if name == t.Name() {
			Watchdog(t, iso.Hint)
		}
		if iso.Deadlocks {
			runDetected(t, iso.Hint, body)
		} else {
			body(t)
		}
		return
	}
	runChild(t, iso)
}

func runChild(t *testing.T, iso Isolation) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("cannot start the child process: %v", err)
	}
	bound := limit()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	args := []string{
		"-test.run=" + runPattern(t.Name()),
		"-test.count=1",
		"-test.cpu=" + strconv.Itoa(runtime.GOMAXPROCS(0)),
	}
	if testing.Verbose() {
		args = append(args, "-test.v=true")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	// With -race, a program sleeps a second before it exits, to let racing
	// goroutines finish their reports; the child's have all stopped by
	// then, so it need not wait.
	cmd.Env = append(os.Environ(), isolateEnv+"="+t.Name(),
		"KATA_WATCHDOG="+childLimit(bound).String(),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = time.Second
	start := time.Now()
	err = cmd.Run()
	killed := ctx.Err() != nil
	raw := out.String()
	kept := dropFraming(raw)
	var exit *exec.ExitError
	switch {
	case err == nil && strings.Contains(raw, "testing: warning: no tests to run"):
		t.Fatalf("the child process ran no test for -test.run=%s", runPattern(t.Name()))
	case err == nil:
		if testing.Verbose() {
			forward(t, kept)
		}
		if strings.Contains(raw, "--- SKIP: "+t.Name()+" ") {
			t.Skip("skipped in the child process")
		}
		return
	case !killed && !errors.As(err, &exit):
		t.Fatalf("cannot run the child process: %v", err)
	}
	forward(t, kept)
	res := ChildResult{Output: kept, Hung: killed || hung(kept), Deadlocked: evidence.Has(kept, evidence.Deadlock)}
	if killed {
		evidence.Write(t.Output(), evidence.Hang, t.Name())
		t.Error(Failure{
			Want: "the test finishes within " + bound.String() + " of real time",
			Got: fmt.Sprintf("deadlock or hang: the child process that ran %s was still running after %v, and was stopped",
				t.Name(), time.Since(start).Round(time.Millisecond)),
			Means: "some goroutine waits for something that will never happen, or spins",
			Hint:  iso.Hint,
		})
	}
	msg := ""
	if iso.Explain != nil {
		msg = iso.Explain(res)
	}
	switch {
	case msg != "":
		t.Error(msg)
	case !killed:
		t.Errorf("the test failed in a child process (%v); its output is above", err)
	}
}

// runPattern is the -test.run pattern that matches exactly the test named
// name, subtests included in the name ("TestA/sub").
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

// forward writes out, the child's output, to t's output.
func forward(t *testing.T, out string) {
	if out == "" {
		return
	}
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	t.Output().Write([]byte(out))
}

// framingRE matches the lines go test and the testing package print to
// frame a test binary's output: what test2json reads as events.
var framingRE = regexp.MustCompile(`^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\b|--- (?:FAIL|PASS|SKIP|BENCH): )|` +
	`^(?:PASS|FAIL|FAIL\t.*|ok  \t.*|exit status \d+)$`)

// dropFraming returns out without its framing lines, and without the ^V
// that go test -json puts before them.
func dropFraming(out string) string {
	var b strings.Builder
	for line := range strings.Lines(out) {
		text := strings.TrimRight(line, "\r\n")
		text = strings.TrimPrefix(text, "\x16")
		if framingRE.MatchString(text) {
			continue
		}
		b.WriteString(text + "\n")
	}
	return b.String()
}

// hung reports whether out, a child's output, holds a hang or a deadlock
// marker: the child's Watchdog or its deadlock detector reported one.
func hung(out string) bool {
	return evidence.Has(out, evidence.Hang) || evidence.Has(out, evidence.Deadlock)
}

// runDetected runs body in a goroutine of its own and waits until it
// returns, or until deadlocked finds the test's goroutines all waiting for
// each other, three looks in a row. Then it prints them after a deadlock
// marker, fails t, and returns, leaving them where they are.
func runDetected(t *testing.T, hint int, body func(t *testing.T)) {
	lesson := evidence.Dir(filepath.ToSlash(callerDir()))
	done := make(chan struct{})
	go func() {
		defer close(done)
		body(t)
	}()
	self := evidence.CurrentID(string(allStacksOf(false)))
	var stuck []evidence.Goroutine
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for looks := 0; looks < 3; {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		if stuck = deadlocked(string(allStacks()), self, lesson); stuck != nil {
			looks++
		} else {
			looks = 0
		}
	}
	select {
	case <-done:
		return // body returned between the looks: what they saw was left behind, which Main checks
	default:
	}
	var b strings.Builder
	b.WriteString(evidence.Line(evidence.Deadlock, t.Name()))
	fmt.Fprintf(&b, "deadlock: the goroutines of %s wait for each other, and none of them can ever move again\n", t.Name())
	b.WriteString("(the wait reason is in brackets):\n\n")
	b.WriteString(evidence.Format(stuck, lesson))
	if hint > 0 {
		fmt.Fprintf(&b, "hint: %s\n", hintRef(hint))
	}
	os.Stdout.WriteString(b.String())
	t.Fail()
}

// deadlocked returns the goroutines of dump, a dump of all goroutines, that
// the deadlock detector watches, if every one of them waits for another
// (evidence.Goroutine.WaitsForOthers) and there is at least one; else nil.
// It watches the goroutines with a frame in the lesson's files, other than
// self (the detector) and the test machinery (evidence.Stuck). A dump of
// all goroutines is taken with the world stopped, so it is one consistent
// instant: if every goroutine that could release a lock or use a channel
// is itself waiting for one, none can ever move.
func deadlocked(dump string, self int, lesson evidence.Dir) []evidence.Goroutine {
	all := evidence.ParseGoroutines(dump)
	for _, g := range all {
		// A goroutine that can run may still release what the others wait
		// for, whatever its stack shows: one that has not started yet shows
		// only the function it was started with (sync.WaitGroup.Go's
		// wrapper, say), with no frame in the lesson's files.
		if r := g.Reason(); g.ID != self && (r == "runnable" || r == "running") {
			return nil
		}
	}
	var watched []evidence.Goroutine
	for _, g := range evidence.Stuck(all, lesson) {
		if g.ID == self {
			continue
		}
		if !g.WaitsForOthers() {
			return nil
		}
		watched = append(watched, g)
	}
	return watched
}
