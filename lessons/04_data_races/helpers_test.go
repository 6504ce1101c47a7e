package dataraces

import (
	"fmt"
	"os"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the lesson's own test helpers.
//
// A data race on a map can do worse than fail a test: the Go runtime may
// notice two goroutines inside one map and stop the whole test binary with
// "fatal error: concurrent map writes", which no recover can catch. So every
// test that makes goroutines share a counter or a map runs that part in a
// child process (katatest.Isolate). The child's own output, race reports
// included, reaches the test's output; explain adds what a race or a fatal
// map error means in this lesson's words.

// lessonPkg is the import path of the lesson's package, as it appears in
// the stack frames of a race report.
var lessonPkg = reflect.TypeFor[Counter]().PkgPath()

// isolate runs body in a child process (see katatest.Isolate). means says,
// in the lesson's words, what a data race in this test means; hint is the
// hint to read.
func isolate(t *testing.T, hint int, means string, body func(t *testing.T)) {
	t.Helper()
	if _, child := os.LookupEnv("KATA_ISOLATE_TEST"); !child {
		// The race detector reports a race only if it can still find the
		// stack of the earlier access in that goroutine's history of
		// accesses, 32K of them by default: a reader that waits long for
		// the writer, on a busy machine, may outlive its own read. A larger
		// history keeps it, so the race is reported every run.
		t.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" history_size=5"))
	}
	katatest.Isolate(t, katatest.Isolation{
		Hint:    hint,
		Explain: func(c katatest.ChildResult) string { return explain(c.Output, means, hint) },
	}, body)
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
				// Sleep, rather than spin: each look is an access that
				// the race detector keeps in the reader's history.
				time.Sleep(time.Microsecond)
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
	race := evidence.Signal(out, evidence.RaceSignal)
	fatal := fatalMapError(out)
	if !race && fatal == "" {
		return "" // the child's own messages say it
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

var fatalRE = regexp.MustCompile(`fatal error: (concurrent map [a-z ]+)`)

// fatalMapError returns the runtime's fatal map error in out, with the
// lesson's function it was in, or "" if there is none.
func fatalMapError(out string) string {
	loc := fatalRE.FindStringSubmatchIndex(out)
	if loc == nil {
		return ""
	}
	msg := out[loc[2]:loc[3]]
	if gs := evidence.ParseGoroutines(out[loc[1]:]); len(gs) > 0 {
		if where := lessonFrame(gs[0].Frames, false); where != "" {
			msg += " (in " + where + ")"
		}
	}
	return msg
}

// An access is one side of a race report: what was done, and where.
type access struct {
	kind   string // "read" or "write"
	by     string // "goroutine 9"
	frames []evidence.Frame
}

func (a access) atomic() bool {
	return len(a.frames) > 0 && strings.HasPrefix(a.frames[0].Func, "sync/atomic.")
}

func (a access) String() string {
	what := a.kind
	if a.atomic() {
		what = "atomic " + what
	}
	if len(a.frames) > 0 && (strings.HasPrefix(a.frames[0].Func, "runtime.map") ||
		strings.HasPrefix(a.frames[0].Func, "internal/runtime/maps.")) {
		what += " of a map"
	}
	// The stack of an atomic access is cut short: it may skip the caller
	// and show a test function instead, so only the lesson's code counts.
	where := lessonFrame(a.frames, !a.atomic())
	switch {
	case where != "":
	case a.atomic():
		where = a.frames[0].Short() + " (-race does not show its caller)"
	case len(a.frames) > 0:
		where = a.frames[0].Short()
	default:
		where = "an unknown place"
	}
	return fmt.Sprintf("%-20s in %s, by %s", what, where, a.by)
}

var accessRE = regexp.MustCompile(`^(?:Previous )?(?i:atomic )?(?i:(read|write)) at 0x[0-9a-f]+ by (.+):$`)

// raceAccesses returns the two accesses of the first race report in out,
// as tools/evidence reads it.
func raceAccesses(out string) []access {
	reports := evidence.ParseRaces(out)
	if len(reports) == 0 {
		return nil
	}
	var accesses []access
	for _, s := range reports[0].Accesses {
		a := access{kind: "access", by: "a goroutine", frames: s.Frames}
		if m := accessRE.FindStringSubmatch(s.Heading); m != nil {
			a.kind, a.by = strings.ToLower(m[1]), m[2]
		}
		accesses = append(accesses, a)
	}
	return accesses
}

var methodRE = regexp.MustCompile(`^\(\*?(\w+)\)\.`)

// lessonFrame names the innermost frame in the lesson's own code, such as
// "Stats.Get (stats.go:31)"; failing that, if withTests, the innermost in
// its tests; or "".
func lessonFrame(frames []evidence.Frame, withTests bool) string {
	for _, tests := range []bool{false, true} {
		if tests && !withTests {
			break
		}
		for _, f := range frames {
			name, ok := strings.CutPrefix(f.Func, lessonPkg+".")
			if !ok || strings.HasSuffix(f.File, "_test.go") != tests {
				continue
			}
			if i := strings.LastIndex(name, "("); i > 0 && strings.HasSuffix(name, ")") {
				name = name[:i]
			}
			name = methodRE.ReplaceAllString(name, "$1.")
			return fmt.Sprintf("%s (%s:%d)", name, path.Base(f.File), f.Line)
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
