// Package diagnose says in plain words what a run of a lesson's tests shows:
// which kind of failure it is, which tests failed and with what message, and
// the evidence (a race report, the stuck goroutines, the compiler's lines),
// trimmed to the learner's own files.
package diagnose

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gokatas/concurrency/tools/evidence"
	"github.com/gokatas/concurrency/tools/internal/gotest"
	"github.com/gokatas/concurrency/tools/internal/testjson"
)

// Kind is the kind of outcome. When a run shows several, the first in this
// order wins: a data race explains a wrong count, and a build failure
// explains everything.
type Kind int

const (
	Passed      Kind = iota
	BuildFailed      // the lesson does not compile
	DataRace         // the race detector reported a race
	Hang             // a deadlock or a hang: the kit's hang or deadlock marker, synctest, the runtime or the time bound
	Panic            // a panic or a fatal runtime error
	Leak             // goroutines outlived the tests
	TestFailed       // a test failed with its own message
	NoTests          // the run passed but ran no test
)

var kindNames = [...]string{"passed", "does not compile", "data race", "deadlock or hang", "panic", "goroutine leak", "test failed", "no tests ran"}

func (k Kind) String() string { return kindNames[k] }

// Slug is the kind as one lower-case word for JSON and reports: "data_race".
func (k Kind) Slug() string {
	return strings.ReplaceAll(strings.ReplaceAll(kindNames[k], " ", "_"), "-", "_")
}

// Advice is what to do about a kind, for a learner.
func (k Kind) Advice() string {
	switch k {
	case Passed:
		return "Every test passed."
	case BuildFailed:
		return "Fix the compiler errors first; the tests cannot run until the package builds."
	case DataRace:
		return "Two goroutines touched the same memory at once and at least one wrote. Protect the shared data (a mutex, an atomic, or give each goroutine its own) so every access is ordered."
	case Hang:
		return "A goroutine waits for something that never happens: a lock never unlocked, a channel nobody sends on or closes, a WaitGroup that never reaches zero. Look at the stuck goroutines below."
	case Panic:
		return "The program crashed. The first line of the panic says why (send on closed channel, nil map, ...); the stack says where."
	case Leak:
		return "A goroutine your code started was still running when the test ended. Every goroutine needs a way to stop: a closed channel, a cancelled context, or a return."
	case TestFailed:
		return "A test found a wrong result. Its message says what it expected, what it got, and which hint fits."
	case NoTests:
		return "No test ran. Were the tests deleted or renamed?"
	}
	return ""
}

// Diagnosis is what a run showed.
type Diagnosis struct {
	Kind     Kind
	Failures []Failure // the failed tests with their messages, in start order
	Evidence string    // race reports, stuck goroutines or compiler lines, trimmed
	// MoreEvidence counts the race reports left out of Evidence: the first
	// ones are enough to fix, and --verbose shows them all.
	MoreEvidence int
	Hint         int      // the hint the failing output points to first, 0 if none
	Passed       []string // names of the tests that passed
}

// A Failure is one failed test and what it printed, trimmed of noise.
type Failure struct {
	Test    string
	Message string
}

var hintRef = regexp.MustCompile(`read Hint (\d+)`)

// The Go runtime's, the testing package's and goleak's own signals: lines
// that start with these. A lesson's message may use the same words in a
// sentence; only a line that starts with one counts (evidence.Signal).
const (
	testTimeoutSignal = "panic: test timed out after"
	runtimeDeadlock   = "fatal error: all goroutines are asleep - deadlock!"
	bubbleDeadlock    = "panic: deadlock: all goroutines in bubble are blocked"
	bubbleLeftovers   = "panic: deadlock: main bubble goroutine has exited but blocked goroutines remain"
	goleakSignal      = "goleak: Errors on successful test run: found unexpected goroutines"
)

// racesShown is how many distinct race reports Evidence keeps.
const racesShown = 2

// Run classifies one go test run of the package in the directory named dir
// ("01_goroutines"); evidence is trimmed to the files in that directory.
//
// The kind comes only from signals: the kit's markers (evidence.Find), the
// race detector's report, the runtime's panics and fatal errors, synctest's
// deadlock panics, the test binary's timeout, goleak's report and the build's
// failure. The words of a lesson's messages never decide it.
func Run(res *gotest.Result, dir string) Diagnosis {
	var pkg *testjson.Package
	for _, path := range res.Report.Paths() {
		if strings.HasSuffix(path, "/"+dir) {
			pkg = res.Report.Packages[path]
		}
	}
	if pkg == nil {
		pkg = &testjson.Package{Tests: map[string]*testjson.Test{}}
	}
	all := pkg.AllOutput() + res.Report.Other
	d := Diagnosis{}
	for _, t := range pkg.TestsInOrder() {
		if t.Action == "pass" {
			d.Passed = append(d.Passed, t.Name)
		}
	}
	for _, t := range pkg.Failed() {
		d.Failures = append(d.Failures, Failure{Test: t.Name, Message: cleanMessage(t.Output)})
	}
	d.Hint = firstHint(all)
	lesson := evidence.Dir(dir)
	signal := func(prefix string) bool { return evidence.Signal(all, prefix) }
	marked := func(k evidence.Kind) bool { return evidence.Has(all, k) }

	switch {
	case pkg.BuildFailed || buildFailed(all):
		d.Kind = BuildFailed
		d.Evidence = compilerLines(pkg.BuildOutput + res.Report.Other)
		d.Failures = nil
	case signal(evidence.RaceSignal) || marked(evidence.Race):
		d.Kind = DataRace
		races := evidence.TrimRaces(all, lesson)
		if len(races) > racesShown {
			d.MoreEvidence = len(races) - racesShown
			races = races[:racesShown]
		}
		d.Evidence = strings.TrimSpace(strings.Join(races, "\n"))
	case res.TimedOut || marked(evidence.Hang) || marked(evidence.Deadlock) ||
		signal(testTimeoutSignal) || signal(runtimeDeadlock) || signal(bubbleDeadlock):
		d.Kind = Hang
		d.Evidence = hangEvidence(all, lesson, res.TimedOut)
	case signal(bubbleLeftovers) || marked(evidence.Leak) || signal(goleakSignal):
		d.Kind = Leak
		d.Evidence = leakEvidence(all, lesson, d.Failures)
	case signal("panic: ") || signal("fatal error: "):
		d.Kind = Panic
		d.Evidence = panicEvidence(all, lesson)
	case res.ExitCode != 0 || len(d.Failures) > 0:
		d.Kind = TestFailed
	case len(pkg.Tests) == 0:
		d.Kind = NoTests
	default:
		d.Kind = Passed
	}
	return d
}

// buildFailed reports whether go test's own summary line says the package
// did not build: "FAIL\tpkg [build failed]".
func buildFailed(out string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "FAIL") && (strings.HasSuffix(line, "[build failed]") || strings.HasSuffix(line, "[setup failed]")) {
			return true
		}
	}
	return false
}

func firstHint(out string) int {
	if m := hintRef.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// HintIn returns the hint that text points to first ("read Hint 3"), or 0.
func HintIn(text string) int { return firstHint(text) }

// cleanMessage drops the "=== RUN" and "--- FAIL" framing and the kit's
// marker lines from a test's output, and testify's "Error Trace" and "Diff"
// blocks, and flattens testify's tab-aligned columns.
//
// What the runtime printed into the test's output is evidence, not the
// test's message, and is left out: race reports, and from the first line
// that starts with "panic: " or "fatal error: " on, the goroutine dump.
// The evidence block shows them trimmed.
func cleanMessage(out string) string {
	var keep []string
	skipping, inRace := false, false
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "=================="):
			inRace = !inRace
			continue
		case inRace:
			continue
		case strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: "):
			return strings.Join(keep, "\n")
		}
		if t == "" || t == "FAIL" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ") || evidence.IsMarker(t) ||
			strings.HasSuffix(t, ": race detected during execution of test") {
			continue
		}
		fields := strings.Split(t, "\t")
		label := strings.TrimSpace(fields[0])
		switch {
		case label == "Error Trace:" || label == "Diff:" || label == "Test:":
			skipping = true
			continue
		case strings.HasSuffix(label, ":") && !strings.Contains(label, " "):
			skipping = false // the next testify label
		case skipping:
			continue
		}
		var parts []string
		for _, f := range fields {
			if f = strings.TrimSpace(f); f != "" {
				parts = append(parts, f)
			}
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if strings.Contains(indent, "\t") || len(fields) > 1 {
			indent = "        "
		}
		keep = append(keep, indent+strings.Join(parts, " "))
	}
	return strings.Join(keep, "\n")
}

var compileLine = regexp.MustCompile(`^\S+\.go:\d+(:\d+)?: `)

func compilerLines(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if compileLine.MatchString(strings.TrimPrefix(line, "./")) || strings.Contains(line, ".go:") {
			keep = append(keep, strings.TrimSpace(line))
		}
	}
	if len(keep) == 0 {
		return strings.TrimSpace(out)
	}
	return strings.Join(keep, "\n")
}

// RaceReports extracts each race report from out, trimmed to the lesson's
// files (evidence.TrimRaces), and shows once reports that differ only in
// addresses and goroutine numbers.
func RaceReports(out, dir string) string {
	return strings.TrimSpace(strings.Join(evidence.TrimRaces(out, evidence.Dir(dir)), "\n"))
}

// hangEvidence is the kit's report when there is one (the watchdog's after
// a hang marker, or a deadlock detector's after a deadlock marker; it is
// already trimmed by the kit), else the stuck goroutines of the dump that
// ended the binary.
func hangEvidence(out string, lesson evidence.Dir, timedOut bool) string {
	if report := markedReport(out, evidence.Hang, evidence.Deadlock); report != "" {
		return report
	}
	stacks := strings.TrimSpace(firstSignal(out) + "\n" + evidence.TrimStacks(out, lesson))
	if timedOut && stacks == "" {
		return "The tests were stopped because they ran past the time limit without finishing. " +
			"Nothing reported where they were stuck: look for a loop that never ends or a wait that never returns, " +
			"including in init functions and package-level variables."
	}
	return stacks
}

// markedReport returns the text that follows the first marker of one of
// kinds, up to go test's next FAIL line, without the marker itself.
func markedReport(out string, kinds ...evidence.Kind) string {
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if m, ok := evidence.Parse(line); !ok || !slices.Contains(kinds, m.Kind) {
			continue
		}
		var b []string
		for _, l := range lines[i+1:] {
			if strings.HasPrefix(l, "FAIL") {
				break
			}
			b = append(b, l)
		}
		return strings.TrimSpace(dedent(strings.Join(b, "\n")))
	}
	return ""
}

func panicEvidence(out string, lesson evidence.Dir) string {
	return strings.TrimSpace(firstSignal(out) + "\n" + evidence.TrimStacks(out, lesson))
}

// firstSignal is the first line that starts with "panic: " or "fatal
// error: ": what the runtime said before its dump.
func firstSignal(out string) string {
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "panic: ") || strings.HasPrefix(t, "fatal error: ") {
			return t
		}
	}
	return ""
}

// leakEvidence is where the leaked goroutines are, unless a failure message
// already shows them: one report per leak.
func leakEvidence(out string, lesson evidence.Dir, failures []Failure) string {
	for _, f := range failures {
		if len(evidence.ParseGoroutines(f.Message)) > 0 {
			return ""
		}
	}
	return strings.TrimSpace(evidence.TrimLeaks(out, lesson))
}

func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "    ")
	}
	return strings.Join(lines, "\n")
}

// TasksPassed returns, for each task (by number), whether every test that
// the task names passed in d.
func TasksPassed(d Diagnosis, tasks map[int][]string) map[int]bool {
	passed := map[string]bool{}
	for _, name := range d.Passed {
		passed[name] = true
	}
	out := map[int]bool{}
	for n, tests := range tasks {
		ok := len(tests) > 0 && d.Kind != BuildFailed
		for _, t := range tests {
			ok = ok && passed[t]
		}
		out[n] = ok
	}
	return out
}

// Summary is one line for the learner: "data race (TestInc, TestValue)".
func (d Diagnosis) Summary() string {
	if len(d.Failures) == 0 || d.Kind == Passed {
		return d.Kind.String()
	}
	names := make([]string, 0, len(d.Failures))
	for _, f := range d.Failures {
		names = append(names, f.Test)
	}
	sort.Strings(names)
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("%d more", len(names)-3))
	}
	return fmt.Sprintf("%s (%s)", d.Kind, strings.Join(names, ", "))
}
