package dataraces

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the lesson's own test helpers.
//
// A data race on a map can do worse than fail a test: the Go runtime may
// notice two goroutines inside one map and stop the whole test binary with
// "fatal error: concurrent map writes", which no recover can catch. So every
// test that makes goroutines share a counter or a map runs that part in a
// child process (isolate), and the test itself reads what the child printed:
// a race report, a fatal map error, a hang or an ordinary failure, and turns
// it into a failure with a message that says what it means.

// childEnv tells a test binary that it is a child started by isolate, and
// which test it is to run.
const childEnv = "KATA_DATARACES_CHILD"

// lessonPkg is the import path of the lesson's package, as it appears in
// the stack frames of a race report.
var lessonPkg = reflect.TypeFor[Counter]().PkgPath()

// isolate runs body in a child process: this same test binary (built with
// -race if the tests were), running only t's test. If the child fails,
// isolate fails t with what the child's output shows. means says, in the
// lesson's words, what a data race in this test means; hint is the hint to
// read.
func isolate(t *testing.T, hint int, means string, body func(t *testing.T)) {
	t.Helper()
	katatest.Watchdog(t, hint)
	if os.Getenv(childEnv) == t.Name() {
		body(t)
		return
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1")
	// The child's watchdog fires first, so that a hang is reported with the
	// child's goroutines, which are the ones that are stuck.
	// With -race, a program sleeps a second before it exits, to let racing
	// goroutines finish their reports; the child's goroutines have all
	// returned by then, so it need not wait.
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name(), "KATA_WATCHDOG="+(watchdogLimit()*3/4).String(),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Error(explain(string(out), means, hint))
	}
}

func watchdogLimit() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("KATA_WATCHDOG")); err == nil && d > 0 {
		return d
	}
	return katatest.DefaultLimit
}

// hammer runs f in n goroutines that start at the same moment (a barrier
// holds each until all n are there) and waits for all of them. g is the
// goroutine's number, 0 to n-1. After the barrier the goroutines share no
// lock, channel or atomic of the test's, so nothing but the code under test
// can order their accesses: if it does not, -race reports them every run.
func hammer(n int, f func(g int)) {
	start := katatest.NewBarrier(n)
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			start.Wait()
			f(g)
		})
	}
	wg.Wait()
}

// interleave calls write over and over in one goroutine (i counts the
// calls) while another goroutine runs rounds rounds of: call read, wait
// until write has returned twice more, call the check that read returned
// (if not nil). It returns how many times write was called.
//
// Why this forces the race: the second of those two writes starts after
// read returned, and the reader released nothing since that the writer
// acquires (it waits by loading an atomic counter that only the writer
// adds to). So if read touched shared data after releasing its lock, or
// handed the data out and the test read it, that read and that write are
// ordered by nothing, and -race reports them on every run, however the
// scheduler happens to run the two goroutines.
func interleave(rounds int, read func() (check func()), write func(i int)) int64 {
	var writes atomic.Int64
	var stop atomic.Bool
	start := katatest.NewBarrier(2)
	var wg sync.WaitGroup
	wg.Go(func() {
		start.Wait()
		for i := 0; !stop.Load(); i++ {
			write(i)
			writes.Add(1)
			runtime.Gosched()
		}
	})
	wg.Go(func() {
		defer stop.Store(true)
		start.Wait()
		for range rounds {
			check := read()
			seen := writes.Load()
			for writes.Load() < seen+2 {
				runtime.Gosched()
			}
			if check != nil {
				check()
			}
		}
	})
	wg.Wait()
	return writes.Load()
}

// checkCount fails t unless got views were counted of want. what names the
// count: "the counter", `Get("/home")`.
func checkCount(t *testing.T, what string, want, got int64, hint int) bool {
	t.Helper()
	if got == want {
		return true
	}
	f := katatest.Failure{
		Want: fmt.Sprintf("%s is %d after %d views", what, want, want),
		Got:  fmt.Sprint(got),
		Hint: hint,
	}
	switch {
	case got == 0:
		f.Means = "nothing was counted: the view is not stored yet, or the getter does not read what was stored"
	case got < want:
		f.Means = fmt.Sprintf("lost update: %d of %d views vanished. Two goroutines read the same old count, "+
			"both added one and both wrote it back, so one of the two views is gone. count++ is a read, an add "+
			"and a write, not one step", want-got, want)
	default:
		f.Means = "more views than were recorded: something counted twice"
	}
	t.Error(f)
	return false
}

// explain turns a failed child's output into the failure the parent test
// reports.
func explain(out, means string, hint int) string {
	race := strings.Contains(out, "WARNING: DATA RACE")
	fatal := fatalMapError(out)
	if !race && fatal == "" {
		return relay(out)
	}
	f := katatest.Failure{
		Want:  "no data race: every access to memory that goroutines share is ordered by a lock, an atomic or a channel",
		Means: means,
		Hint:  hint,
	}
	var got []string
	if race {
		accesses := raceAccesses(out)
		var lines []string
		for _, a := range accesses {
			lines = append(lines, "  "+a.String())
		}
		got = append(got, "-race reported a data race between two accesses that nothing orders:\n"+strings.Join(lines, "\n"))
		if mixed := mixedAtomic(accesses); mixed != "" {
			f.Means = mixed + "\n" + means
		}
	}
	if fatal != "" {
		got = append(got, "the Go runtime stopped the test program: "+fatal)
		f.Means += "\nA Go map that two goroutines use at once, one of them writing, may crash the whole program " +
			"with this fatal error, which recover cannot catch. Without -race it is luck: most runs crash, " +
			"some runs lose updates silently."
	}
	f.Got = strings.Join(got, "\n")
	return f.String()
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
	if len(kept) > 40 {
		kept = append(kept[:40], "\t... (more in the child's output)")
	}
	return "the test's goroutines ran in a child process, which failed:\n" + strings.Join(kept, "\n")
}

var fatalRE = regexp.MustCompile(`fatal error: (concurrent map [a-z ]+)`)

// fatalMapError returns the runtime's fatal map error in out, with the
// lesson's function it was in, or "" if there is none.
func fatalMapError(out string) string {
	loc := fatalRE.FindStringSubmatchIndex(out)
	if loc == nil {
		return ""
	}
	msg := out[loc[2]:loc[3]]
	frames := parseFrames(strings.Split(out[loc[1]:], "\n"))
	if where := lessonFrame(frames, false); where != "" {
		msg += " (in " + where + ")"
	}
	return msg
}

// An access is one side of a race report: what was done, and where.
type access struct {
	kind   string // "read" or "write"
	by     string // "goroutine 9"
	frames []frame
}

type frame struct{ fn, file string }

func (a access) atomic() bool {
	return len(a.frames) > 0 && strings.HasPrefix(a.frames[0].fn, "sync/atomic.")
}

func (a access) String() string {
	what := a.kind
	if a.atomic() {
		what = "atomic " + what
	}
	if len(a.frames) > 0 && (strings.HasPrefix(a.frames[0].fn, "runtime.map") ||
		strings.HasPrefix(a.frames[0].fn, "internal/runtime/maps.")) {
		what += " of a map"
	}
	// The stack of an atomic access is cut short: it may skip the caller
	// and show a test function instead, so only the lesson's code counts.
	where := lessonFrame(a.frames, !a.atomic())
	switch {
	case where != "":
	case a.atomic():
		where = strings.TrimSuffix(a.frames[0].fn, "()") + " (-race does not show its caller)"
	case len(a.frames) > 0:
		where = strings.TrimSuffix(a.frames[0].fn, "()")
	default:
		where = "an unknown place"
	}
	return fmt.Sprintf("%-20s in %s, by %s", what, where, a.by)
}

var accessRE = regexp.MustCompile(`^(?:Previous )?(?i:(read|write)) at 0x[0-9a-f]+ by (.+):$`)

// raceAccesses parses the two accesses of the first race report in out.
func raceAccesses(out string) []access {
	_, report, _ := strings.Cut(out, "WARNING: DATA RACE\n")
	report, _, _ = strings.Cut(report, "==================")
	var accesses []access
	lines := strings.Split(report, "\n")
	for i, l := range lines {
		if m := accessRE.FindStringSubmatch(l); m != nil {
			accesses = append(accesses, access{
				kind:   strings.ToLower(m[1]),
				by:     m[2],
				frames: parseFrames(lines[i+1:]),
			})
		}
	}
	return accesses
}

// parseFrames reads the stack frames at the start of lines, in the format
// of race reports and runtime tracebacks: a function line, then an
// indented file line. It stops at the first line that is neither.
func parseFrames(lines []string) []frame {
	var frames []frame
	for i := 0; i+1 < len(lines); i += 2 {
		fn, file := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if fn == "" || !strings.HasPrefix(lines[i+1], "\t") && !strings.HasPrefix(lines[i+1], "      ") {
			break
		}
		if j := strings.LastIndex(file, " +0x"); j >= 0 {
			file = file[:j]
		}
		frames = append(frames, frame{fn: fn, file: file})
	}
	return frames
}

var methodRE = regexp.MustCompile(`^\(\*?(\w+)\)\.`)

// lessonFrame names the innermost frame in the lesson's own code, such as
// "Stats.Get (stats.go:31)"; failing that, if withTests, the innermost in
// its tests; or "".
func lessonFrame(frames []frame, withTests bool) string {
	for _, tests := range []bool{false, true} {
		if tests && !withTests {
			break
		}
		for _, f := range frames {
			name, ok := strings.CutPrefix(f.fn, lessonPkg+".")
			if !ok || strings.Contains(f.file, "_test.go:") != tests {
				continue
			}
			if i := strings.LastIndex(name, "("); i > 0 && strings.HasSuffix(name, ")") {
				name = name[:i]
			}
			name = methodRE.ReplaceAllString(name, "$1.")
			return fmt.Sprintf("%s (%s)", name, filepath.Base(f.file))
		}
	}
	return ""
}

// mixedAtomic names the mistake when one side of a race used sync/atomic
// and the other a plain load or store, or returns "".
func mixedAtomic(accesses []access) string {
	if len(accesses) != 2 || accesses[0].atomic() == accesses[1].atomic() {
		return ""
	}
	plain := accesses[0]
	if plain.atomic() {
		plain = accesses[1]
	}
	if plain.kind == "read" {
		return "atomic writer with a plain reader: the writes use sync/atomic, but a read of the same variable " +
			"is a plain load. Atomics order only atomics: every read must be atomic too (an atomic.Int64 " +
			"has no plain way in)."
	}
	return "an atomic access mixed with a plain write: every access to a variable that sync/atomic " +
		"touches must be atomic, writes included."
}
