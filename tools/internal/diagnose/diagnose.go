// Package diagnose says in plain words what a run of a lesson's tests shows:
// which kind of failure it is, which tests failed and with what message, and
// the evidence (a race report, the stuck goroutines, the compiler's lines),
// trimmed to the learner's own files.
package diagnose

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

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
	Hang             // a deadlock or a hang: the watchdog, synctest, the runtime or the time bound
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
	Hint     int       // the hint the failing output points to, 0 if none
	Passed   []string  // names of the tests that passed
}

// A Failure is one failed test and what it printed, trimmed of noise.
type Failure struct {
	Test    string
	Message string
}

var hintRef = regexp.MustCompile(`read Hint (\d+)`)

// Markers that identify kinds in go test output.
const (
	raceMarker        = "WARNING: DATA RACE"
	watchdogMarker    = "deadlock or hang:" // katatest.HangMarker
	leakMarker        = "goroutine leak:"   // katatest.LeakMarker
	goleakMarker      = "found unexpected goroutines"
	testTimeoutMarker = "panic: test timed out after"
	runtimeDeadlock   = "all goroutines are asleep - deadlock!"
	bubbleDeadlock    = "deadlock: all goroutines in bubble are blocked"
	bubbleLeftovers   = "main bubble goroutine has exited but blocked goroutines remain"
)

// Run classifies one go test run of the package in the directory named dir
// ("01_goroutines"); evidence is trimmed to the files in that directory.
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

	switch {
	case pkg.BuildFailed || strings.Contains(all, "[build failed]") || strings.Contains(all, "[setup failed]"):
		d.Kind = BuildFailed
		d.Evidence = compilerLines(pkg.BuildOutput + res.Report.Other)
		d.Failures = nil
	case strings.Contains(all, raceMarker):
		d.Kind = DataRace
		d.Evidence = RaceReports(all, dir)
	case res.TimedOut || strings.Contains(all, watchdogMarker) || strings.Contains(all, testTimeoutMarker) ||
		strings.Contains(all, runtimeDeadlock) || strings.Contains(all, bubbleDeadlock):
		d.Kind = Hang
		d.Evidence = hangEvidence(all, dir, res.TimedOut)
	case strings.Contains(all, "panic: ") || strings.Contains(all, "fatal error: "):
		if strings.Contains(all, bubbleLeftovers) {
			d.Kind = Leak
		} else {
			d.Kind = Panic
		}
		d.Evidence = panicEvidence(all, dir)
	case strings.Contains(all, leakMarker) || strings.Contains(all, goleakMarker):
		d.Kind = Leak
		d.Evidence = leakEvidence(all, dir)
	case res.ExitCode != 0 || len(d.Failures) > 0:
		d.Kind = TestFailed
	case len(pkg.Tests) == 0:
		d.Kind = NoTests
	default:
		d.Kind = Passed
	}
	return d
}

func firstHint(out string) int {
	if m := hintRef.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// cleanMessage drops the "=== RUN" and "--- FAIL" framing from a test's
// output, and testify's "Error Trace" and "Diff" blocks, and flattens
// testify's tab-aligned columns.
func cleanMessage(out string) string {
	var keep []string
	skipping := false
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ") {
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

var address = regexp.MustCompile(`0x[0-9a-f]+`)

// RaceReports extracts each race report from out, keeping the access lines
// ("Read at ... by goroutine 8:") and the frames in the lesson's files.
// Reports that differ only in addresses are shown once.
func RaceReports(out, dir string) string {
	var reports []string
	seen := map[string]bool{}
	for _, block := range strings.Split(out, raceMarker)[1:] {
		block, _, _ = strings.Cut(block, "==================")
		var b strings.Builder
		lines := strings.Split(block, "\n")
		for i := 0; i < len(lines); i++ {
			line := strings.TrimSpace(lines[i])
			switch {
			case line == "":
			case strings.Contains(line, " at 0x") && strings.Contains(line, "by goroutine"),
				strings.HasPrefix(line, "Goroutine ") && strings.HasSuffix(line, ":"):
				b.WriteString(line + "\n")
			case i+1 < len(lines) && inLesson(lines[i+1], dir):
				b.WriteString("    " + shortFunc(line) + "  " + shortFile(lines[i+1], dir) + "\n")
				i++
			}
		}
		r := b.String()
		key := address.ReplaceAllString(r, "0x…") // the same race on another element
		if r != "" && !seen[key] {
			seen[key] = true
			reports = append(reports, r)
		}
	}
	return strings.TrimSpace(strings.Join(reports, "\n"))
}

func hangEvidence(out, dir string, timedOut bool) string {
	if i := strings.Index(out, watchdogMarker); i >= 0 {
		rest := out[i:]
		if j := strings.Index(rest, "\nFAIL"); j >= 0 {
			rest = rest[:j]
		}
		return strings.TrimSpace(dedent(rest))
	}
	stacks := goroutineStacks(out, dir)
	if timedOut && stacks == "" {
		return "The tests were stopped because they ran past the time limit without finishing. " +
			"Nothing reported where they were stuck: look for a loop that never ends or a wait that never returns, " +
			"including in init functions and package-level variables."
	}
	return stacks
}

func panicEvidence(out, dir string) string {
	var first string
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "panic: ") || strings.HasPrefix(t, "fatal error: ") {
			first = t
			break
		}
	}
	return strings.TrimSpace(first + "\n" + goroutineStacks(out, dir))
}

func leakEvidence(out, dir string) string {
	if i := strings.Index(out, leakMarker); i >= 0 {
		rest := out[i:]
		if j := strings.Index(rest, "\nFAIL"); j >= 0 {
			rest = rest[:j]
		}
		if s := goroutineStacks(rest, dir); s != "" {
			return s
		}
		return strings.TrimSpace(dedent(rest))
	}
	return goroutineStacks(out, dir)
}

// goroutineHeader starts a goroutine in a runtime dump ("goroutine 7 [chan
// receive]:") or in goleak's report ("[Goroutine 8 in state select, with
// ... on top of the stack:").
var goroutineHeader = regexp.MustCompile(`(?m)^\s*\[?[Gg]oroutine \d+ (\[|in state )`)

// goroutineStacks keeps, from goroutine dumps in out, the goroutines with a
// frame in the lesson's files, and within each the lesson's frames.
func goroutineStacks(out, dir string) string {
	var b strings.Builder
	blocks := goroutineHeader.FindAllStringIndex(out, -1)
	seen := map[string]bool{}
	for n, loc := range blocks {
		end := len(out)
		if n+1 < len(blocks) {
			end = blocks[n+1][0]
		}
		lines := strings.Split(strings.TrimSpace(out[loc[0]:end]), "\n")
		var frames []string
		for i := 1; i+1 < len(lines); i++ {
			if inLesson(lines[i+1], dir) && !strings.HasSuffix(strings.TrimSpace(lines[i]), ":") {
				frames = append(frames, "    "+shortFunc(strings.TrimSpace(lines[i]))+"  "+shortFile(lines[i+1], dir))
				i++
			}
		}
		if len(frames) == 0 {
			continue
		}
		header := strings.TrimSpace(lines[0])
		header = strings.TrimPrefix(header, "[")
		state := header
		if i := strings.IndexAny(header, "[,"); i >= 0 {
			state = header[i:]
		}
		key := state + strings.Join(frames, "\n")
		if seen[key] {
			continue
		}
		seen[key] = true
		b.WriteString(header + "\n" + strings.Join(frames, "\n") + "\n")
	}
	return strings.TrimSpace(b.String())
}

func inLesson(fileLine, dir string) bool {
	f := strings.ReplaceAll(strings.TrimSpace(fileLine), "\\", "/")
	return strings.Contains(f, "/"+dir+"/") || strings.HasPrefix(f, dir+"/")
}

// shortFile turns "\t/home/me/course/lessons/01_x/x.go:31 +0x3a" into "x.go:31".
func shortFile(fileLine, dir string) string {
	f := strings.ReplaceAll(strings.TrimSpace(fileLine), "\\", "/")
	if i := strings.LastIndex(f, " +0x"); i >= 0 {
		f = f[:i]
	}
	if i := strings.LastIndex(f, "/"+dir+"/"); i >= 0 {
		f = f[i+len("/"+dir+"/"):]
	}
	return f
}

func shortFunc(fn string) string {
	if rest, ok := strings.CutPrefix(fn, "created by "); ok {
		return "created by " + shortFunc(rest)
	}
	if i := strings.LastIndex(fn, "("); i > 0 && strings.HasSuffix(fn, ")") {
		fn = fn[:i]
	}
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
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
