package lockpitfalls

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the lesson's own test helpers.
//
// A deadlocked goroutine can never be ended: it waits for a lock or a
// channel that nothing will ever release. So every test runs its body in a
// child process (isolate): this same test binary, built with -race if the
// tests were, running only that one test. In the child, a deadlock
// detector watches the body's goroutines. When every one of them is
// blocked on a lock or a channel, and none can run, nothing can ever wake
// them: the child prints them and fails at once, within milliseconds, and
// the parent test turns that into a failure that names the pitfall. The
// stuck goroutines end with the child, and the other tests still run. The
// katatest watchdog stays as a backstop for hangs the detector cannot see,
// such as a goroutine that spins.

// childEnv tells a test binary that it is a child started by isolate, and
// which test it is to run.
const childEnv = "KATA_LOCKPITFALLS_CHILD"

// The child prints its deadlock report between these lines.
const (
	reportStart = "=== lockpitfalls: deadlock ==="
	reportEnd   = "=== lockpitfalls: end ==="
)

// lessonPkg is the import path of the lesson's package, as it appears in
// stack traces.
var lessonPkg = reflect.TypeFor[Account]().PkgPath()

// lessonDir is this lesson's directory, as it appears in stack traces.
var lessonDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.ToSlash(filepath.Dir(file))
}()

// isolate runs body in a child process, with a deadlock detector, and fails
// t with what the child shows if the child fails. deadlock says, in the
// lesson's words, which pitfall a deadlock in this test means; hint is the
// hint to read.
//
// body runs in a goroutine of its own, not in the test's goroutine, so it
// must report failures with t.Error (or assert), never with t.Fatal or
// require. Every goroutine it starts must have returned when it returns.
func isolate(t *testing.T, hint int, deadlock string, body func(t *testing.T)) {
	t.Helper()
	katatest.Watchdog(t, hint)
	if os.Getenv(childEnv) == t.Name() {
		if report := runDetected(t, body); report != "" {
			fmt.Printf("%s\n%s%s\n", reportStart, report, reportEnd)
			t.Fail()
		}
		return
	}
	// The parent only waits for its child, so the tests run side by side.
	t.Parallel()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1",
		"-test.cpu="+strconv.Itoa(runtime.GOMAXPROCS(0)))
	// The child's watchdog fires first, so that a hang the detector misses
	// is reported with the child's goroutines, which are the stuck ones.
	// With -race, a program sleeps a second before it exits, to let racing
	// goroutines finish their reports; the child need not wait.
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(),
		"KATA_WATCHDOG="+(watchdogLimit()*3/4).String(),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, err := cmd.CombinedOutput()
	switch {
	case err != nil:
		t.Error(explain(string(out), deadlock, hint))
	case strings.Contains(string(out), "no tests to run"):
		t.Errorf("the child process ran no test: %s", out)
	}
}

func watchdogLimit() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("KATA_WATCHDOG")); err == nil && d > 0 {
		return d
	}
	return katatest.DefaultLimit
}

// runDetected runs body in a new goroutine and waits until it returns. If
// it finds every goroutine of the lesson (other than the caller) blocked on
// a lock or a channel, three looks in a row, it returns their stacks,
// trimmed to the lesson's files, and leaves them where they are; otherwise
// it returns "".
func runDetected(t *testing.T, body func(t *testing.T)) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		body(t)
	}()
	self := goroutineID(string(stacks(false)))
	stuckLooks := 0
	for {
		select {
		case <-done:
			return ""
		case <-time.After(2 * time.Millisecond):
		}
		if dump, ok := allStuck(string(stacks(true)), self); ok {
			stuckLooks++
			if stuckLooks == 3 {
				return katatest.TrimStacks(dump, lessonDir)
			}
		} else {
			stuckLooks = 0
		}
	}
}

// stuckReasons are the wait reasons of a goroutine that only another
// goroutine can wake: it waits for a lock or a channel. A goroutine that
// sleeps or waits in a select may be woken by a timer, so it is not stuck.
var stuckReasons = map[string]bool{
	"sync.Mutex.Lock":         true,
	"sync.RWMutex.RLock":      true,
	"sync.RWMutex.Lock":       true,
	"sync.WaitGroup.Wait":     true,
	"sync.Cond.Wait":          true,
	"chan send":               true,
	"chan receive":            true,
	"chan send (nil chan)":    true,
	"chan receive (nil chan)": true,
	"select (no cases)":       true,
}

// A goroutine is one entry of a runtime.Stack dump.
type goroutine struct {
	id     string // "17"
	reason string // "sync.Mutex.Lock", "running", ...
	block  string // the whole entry
}

var headerRE = regexp.MustCompile(`^goroutine (\d+)(?: [^\[]*)? \[([^\],]+)`)

func goroutines(dump string) []goroutine {
	var gs []goroutine
	for _, block := range strings.Split(dump, "\n\n") {
		block = strings.TrimSpace(block)
		if m := headerRE.FindStringSubmatch(block); m != nil {
			gs = append(gs, goroutine{id: m[1], reason: m[2], block: block})
		}
	}
	return gs
}

func goroutineID(dump string) string {
	if gs := goroutines(dump); len(gs) > 0 {
		return gs[0].id
	}
	return ""
}

// allStuck reports whether every goroutine with a frame in the lesson's
// files, other than self, is stuck, and returns those goroutines. A
// runtime.Stack dump of all goroutines is taken with the world stopped, so
// it is one consistent instant: if every goroutine that could release a
// lock or use a channel is itself waiting for one, none can ever move.
func allStuck(dump, self string) (string, bool) {
	var stuck []string
	for _, g := range goroutines(dump) {
		if g.id == self || !strings.Contains(g.block, lessonDir+"/") {
			continue
		}
		if !stuckReasons[g.reason] {
			return "", false
		}
		stuck = append(stuck, g.block)
	}
	return strings.Join(stuck, "\n\n") + "\n", len(stuck) > 0
}

func stacks(all bool) []byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
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
		for _, g := range goroutines(string(stacks(true))) {
			if strings.Contains(g.block, lessonPkg+"."+fn+"(") {
				for _, r := range reasons {
					if g.reason == r {
						return true
					}
				}
			}
		}
		select {
		case <-done:
			return false
		case <-time.After(time.Millisecond):
		}
	}
	return false
}

// explain turns a failed child's output into the failure the parent test
// reports.
func explain(out, deadlock string, hint int) string {
	if report, ok := between(out, reportStart+"\n", reportEnd); ok {
		return katatest.Failure{
			Want:  "every call returns: no goroutine waits forever for a lock or a channel",
			Got:   "these goroutines wait for each other, and none of them can ever move again\n(the wait reason is in brackets):\n\n" + strings.TrimRight(report, "\n"),
			Means: deadlock,
			Hint:  hint,
		}.String()
	}
	if i := strings.Index(out, katatest.HangMarker); i >= 0 {
		report, _, _ := strings.Cut(out[i:], "\nFAIL")
		report, _, _ = strings.Cut(report, "\n    hint:")
		return katatest.Failure{
			Want: "every call returns: no goroutine waits forever for a lock or a channel",
			Got:  "the watchdog stopped the test:\n" + strings.TrimRight(report, "\n"),
			Means: "a hang that the deadlock detector could not see: a goroutine that spins (loops without " +
				"ever blocking), or one that waits in a select or a sleep for something that never comes. " +
				"If a lock is part of it, it may be this pitfall: " + deadlock,
			Hint: hint,
		}.String()
	}
	if m := fatalRE.FindStringSubmatch(out); m != nil {
		where := katatest.TrimStacks(out[strings.Index(out, m[0]):], lessonDir)
		return katatest.Failure{
			Want: "every Unlock matches one Lock, on every path through the function",
			Got:  "the Go runtime stopped the test program: fatal error: " + m[1] + "\n" + strings.TrimRight(where, "\n"),
			Means: "Unlock called twice: a path unlocks a mutex that is no longer locked, often a deferred Unlock " +
				"plus an explicit one before a return. It is a fatal error that recover cannot catch. " +
				"Use one defer right after Lock, and no other Unlock.",
			Hint: 2,
		}.String()
	}
	if strings.Contains(out, "WARNING: DATA RACE") {
		report, _ := between(out, "WARNING: DATA RACE\n", "==================")
		return katatest.Failure{
			Want: "no data race: everything the lock protects is read and written with the lock held",
			Got:  "-race reported a data race:\n" + strings.TrimRight(shortRace(report), "\n"),
			Means: "data race: memory that the lock protects was used after Unlock, while another goroutine " +
				"changed it with the lock held. Copy what you need while you hold the lock, and use only the copy after Unlock.",
			Hint: hint,
		}.String()
	}
	return relay(out)
}

var fatalRE = regexp.MustCompile(`fatal error: (sync: R?[Uu]nlock of unlocked (?:RW)?[Mm]utex)`)

func between(s, start, end string) (string, bool) {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return "", false
	}
	inner, _, _ := strings.Cut(rest, end)
	return inner, true
}

// shortRace keeps the access lines of a race report and, under each, the
// frames in the lesson's files.
func shortRace(report string) string {
	var b strings.Builder
	lines := strings.Split(report, "\n")
	inAccess := false // in the stack of an access, which ends at a blank line
	for i, l := range lines {
		switch {
		case strings.Contains(l, " at 0x") && strings.Contains(l, " by "):
			b.WriteString(l + "\n")
			inAccess = true
		case strings.TrimSpace(l) == "":
			inAccess = false
		case inAccess && strings.HasPrefix(strings.TrimSpace(l), lessonDir+"/") && i > 0:
			file := strings.TrimPrefix(strings.TrimSpace(l), lessonDir+"/")
			if j := strings.LastIndex(file, " +0x"); j >= 0 {
				file = file[:j]
			}
			fmt.Fprintf(&b, "    %-40s %s\n", shortName(lines[i-1]), file)
		}
	}
	return b.String()
}

func shortName(fn string) string {
	fn = strings.TrimSpace(fn)
	if i := strings.LastIndex(fn, "("); i > 0 {
		fn = fn[:i]
	}
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

// relay returns what a failed child printed about its test, without the
// lines that only repeat that it failed.
func relay(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "--- FAIL: ") {
			lines = lines[i+1:]
			break
		}
	}
	var kept []string
	for _, l := range lines {
		if l == "FAIL" || strings.HasPrefix(l, "exit status ") {
			continue
		}
		kept = append(kept, l)
	}
	if len(kept) > 60 {
		kept = append(kept[:60], "\t... (more in the child's output)")
	}
	return "\n" + strings.Join(kept, "\n")
}
