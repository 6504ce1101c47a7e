package katatest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokatas/concurrency/tools/evidence"
)

// hangWords start the learner's first line of a hang report. They are
// words, not a signal: the course tool and Isolate read the report's marker
// line (evidence.Hang).
const hangWords = "deadlock or hang:"

// DefaultLimit is how long, in real time, a test may run before Watchdog
// calls it a hang. The lessons' tests finish in milliseconds; the margin is
// for a loaded machine running with -race. The environment variable
// KATA_WATCHDOG (a duration such as "20s") replaces it on slow machines.
const DefaultLimit = 5 * time.Second

// Watchdog fails the test as a deadlock or hang if it has not finished within
// DefaultLimit of real time. It prints a hang marker (evidence.Hang) and the
// goroutines that are inside the lesson's own files, trimmed to those files,
// says which hint to read, and ends the test binary with exit code 1: a goroutine stuck on a mutex or a channel cannot be
// unstuck, so no later test could trust the process.
//
// Call Watchdog first in the test, outside any synctest bubble: inside a
// bubble its timer would run on fake time. It covers hangs that synctest
// cannot see, such as goroutines waiting for a sync.Mutex, which are not
// durably blocked, and spins.
func Watchdog(t testing.TB, hint int) {
	t.Helper()
	WatchdogAfter(t, limit(), hint)
}

// WatchdogAfter is Watchdog with a limit of its own, for the few tests that
// do real work, such as those against a real database.
func WatchdogAfter(t testing.TB, limit time.Duration, hint int) {
	t.Helper()
	dir := callerDir()
	name := t.Name()
	timer := time.AfterFunc(limit, func() {
		reportHang(os.Stdout, name, dir, limit, hint, allStacks())
		os.Exit(1)
	})
	t.Cleanup(func() { timer.Stop() })
}

func limit() time.Duration {
	if s := os.Getenv("KATA_WATCHDOG"); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d
		}
	}
	return DefaultLimit
}

// callerDir is the directory of the test file that called Watchdog: the
// lesson's directory, whose files the report keeps.
func callerDir() string {
	for skip := 2; skip < 10; skip++ {
		_, file, _, ok := runtime.Caller(skip)
		if !ok {
			break
		}
		file = filepath.ToSlash(file)
		inKit := strings.Contains(file, "/internal/katatest/") && !strings.HasSuffix(file, "_test.go")
		if !inKit {
			return filepath.Dir(file)
		}
	}
	return ""
}

var stacksMu sync.Mutex // serializes reports when two watchdogs fire at once

func allStacks() []byte { return allStacksOf(true) }

func allStacksOf(all bool) []byte {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// reportHang writes a hang report in the shape the testing package uses for
// a failed test, so that go test -json attributes it to the test.
func reportHang(w io.Writer, test, dir string, limit time.Duration, hint int, stacks []byte) {
	stacksMu.Lock()
	defer stacksMu.Unlock()
	var b bytes.Buffer
	fmt.Fprintf(&b, "--- FAIL: %s (%.2fs)\n", test, limit.Seconds())
	b.WriteString("    " + evidence.Line(evidence.Hang, test))
	fmt.Fprintf(&b, "    %s %s made no progress for %v of real time.\n", hangWords, test, limit)
	b.WriteString("    Some goroutine is waiting for something that will never happen (a lock that is\n")
	b.WriteString("    never unlocked, a channel that nobody sends on or receives from), or spinning.\n")
	stuck := TrimStacks(string(stacks), dir)
	if stuck == "" {
		b.WriteString("    No goroutine is inside this lesson's files; all goroutines:\n\n")
		stuck = string(stacks)
	} else {
		b.WriteString("    Goroutines inside this lesson's files (the wait reason is in brackets):\n\n")
	}
	for _, line := range strings.Split(strings.TrimRight(stuck, "\n"), "\n") {
		b.WriteString("        " + line + "\n")
	}
	b.WriteString("\n")
	if hint > 0 {
		fmt.Fprintf(&b, "    hint: %s\n", hintRef(hint))
	}
	b.WriteString("FAIL\n")
	w.Write(b.Bytes())
}

// TrimStacks keeps, from a dump in the format of runtime.Stack(buf, true),
// the goroutines that have a frame in a file under dir, other than the test
// machinery's, and within each the frames in dir plus the innermost frame,
// which shows what the goroutine is blocked in. Paths are shortened to file
// names, and goroutines alike but for their number are shown once. It
// returns "" if no goroutine has a frame under dir. The trimming is
// evidence.TrimStacks, the same the course tool does.
func TrimStacks(dump, dir string) string {
	return evidence.TrimStacks(dump, evidence.Dir(filepath.ToSlash(dir)))
}
