// Package gotest runs a lesson's tests for the course tool, in two bounded
// steps, and returns what `go test -json` would have reported.
//
// First it compiles the test binary (`go test -c -json`), which runs none of
// the lesson's code and may take long on a cold build cache. Then it runs the
// binary under `go tool test2json` with a tight bound. When the bound runs
// out, the binary is killed with its process group, so a spinning init or a
// deadlocked test can never freeze the caller, and the time spent compiling
// is never mistaken for a hang.
//
// A test binary can end before every test ran: a panic in a test, a
// synctest bubble that ends with blocked goroutines, an os.Exit, a kill at
// the bound. With Options.Rerun, the tests it never reached are run again in
// new processes, as often as needed within a bound, and the runs are merged
// into one Result, so that every test gets a verdict when it can have one.
package gotest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gokatas/concurrency/tools/internal/testjson"
)

// DefaultBuildTimeout bounds the compile step.
const DefaultBuildTimeout = 10 * time.Minute

// Options says how to run one package's tests.
type Options struct {
	Dir          string // the module root
	Package      string // the package, relative to Dir: "./lessons/01_goroutines"
	Race         bool   // -race
	Count        int    // -count; 0 means 1 (results are never cached)
	CPU          string // -cpu, such as "1,2,4"
	Shuffle      bool   // -shuffle=on
	Run          string // -run
	Timeout      time.Duration
	BuildTimeout time.Duration // 0 means DefaultBuildTimeout
	Env          []string      // added to the environment of both steps
	Test2JSON    string        // path of the test2json program (Toolchain.Test2JSON); "" runs `go tool test2json`
	// BinDir, if set, is where the test binary is kept between runs, under a
	// name made from the package and the flags that change it. The go command
	// then skips the link when nothing changed since the last run, which a
	// bare go test never does. "" builds into a temporary directory.
	BinDir string
	// Rerun, if positive, is the time allowed, in all, for running again the
	// tests that the first run never reached because its test binary ended
	// early (see Result.Reruns). Each run again gets at most Timeout. It is
	// ignored when Count is above 1.
	Rerun time.Duration
}

// Result is what one run produced.
type Result struct {
	Report      *testjson.Report
	Output      []byte // the JSON stream and any plain text, as printed
	ExitCode    int    // -1 if the tests were killed or never ran
	BuildFailed bool
	TimedOut    bool          // the tests were killed when Timeout ran out
	Duration    time.Duration // both steps
	Command     string        // what a learner would type for the same run
	// Reruns are the runs after the first, in order, of tests that an
	// earlier run never reached (only with Options.Rerun). Their events are
	// merged into Report and Output.
	Reruns []Rerun
	// NotRun lists the top-level tests that no run reached, when the
	// re-runs had to stop (the time allowed ran out, or a run reached none of
	// its tests). Only with Options.Rerun.
	NotRun []string
}

// A Rerun is one run, in a new process, of tests an earlier run never reached.
type Rerun struct {
	Tests []string // the top-level tests run again, in the order listed
	Why   string   // why they had not run: "the test binary exited (exit status 2) during TestExport"
}

// Passed reports whether the package built and its tests passed.
func (r *Result) Passed() bool { return r.ExitCode == 0 && !r.TimedOut && !r.BuildFailed }

// testFlags are the test binary's flags for opts.
func testFlags(opts Options) []string {
	count := max(opts.Count, 1)
	flags := []string{"-test.v=test2json", fmt.Sprintf("-test.count=%d", count)}
	if opts.CPU != "" {
		flags = append(flags, "-test.cpu="+opts.CPU)
	}
	if opts.Shuffle {
		flags = append(flags, "-test.shuffle=on")
	}
	if opts.Run != "" {
		flags = append(flags, "-test.run="+opts.Run)
	}
	if opts.Timeout > 0 {
		// The binary's own timeout panics with every goroutine's stack;
		// it fires a little before ours, so that it is what reports a hang
		// when the tests (not an init) are stuck.
		flags = append(flags, fmt.Sprintf("-test.timeout=%v", opts.Timeout))
	}
	return flags
}

// Command is the go test command line equivalent to opts.
func Command(opts Options) string {
	args := []string{"go test"}
	if opts.Race {
		args = append(args, "-race")
	}
	if opts.Count != 0 {
		args = append(args, fmt.Sprintf("-count=%d", opts.Count))
	}
	if opts.CPU != "" {
		args = append(args, "-cpu="+opts.CPU)
	}
	if opts.Shuffle {
		args = append(args, "-shuffle=on")
	}
	return strings.Join(append(args, opts.Package), " ")
}

// Run compiles and runs the package's tests. An error means the go command
// could not be started or ctx was cancelled; a failing, broken or timed-out
// run is a Result.
func Run(ctx context.Context, opts Options) (*Result, error) {
	res := &Result{ExitCode: -1, Command: Command(opts), Report: &testjson.Report{Packages: map[string]*testjson.Package{}}}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()

	bin, cleanup, err := binaryPath(opts)
	if err != nil {
		return res, err
	}
	defer cleanup()

	// Step 1: compile.
	// -ldflags=-w leaves out DWARF, which only debuggers read (stack traces
	// and race reports do not need it), and makes the link a little faster.
	args := []string{"test", "-c", "-json", "-ldflags=-w", "-o", bin}
	if opts.Race {
		args = append(args, "-race")
	}
	args = append(args, opts.Package)
	buildTimeout := opts.BuildTimeout
	if buildTimeout == 0 {
		buildTimeout = DefaultBuildTimeout
	}
	out, code, timedOut, err := run(ctx, buildTimeout, opts.Dir, opts.Env, "go", args...)
	res.Output = out
	if err != nil {
		return res, err
	}
	res.Report, _ = testjson.Read(bytes.NewReader(out))
	if timedOut {
		return res, fmt.Errorf("compiling %s took longer than %v", opts.Package, buildTimeout)
	}
	if code != 0 {
		res.BuildFailed = true
		res.ExitCode = code
		return res, nil
	}
	if !hasTests(filepath.Join(opts.Dir, filepath.FromSlash(opts.Package))) {
		// go test -c writes no binary for a package without test files (and
		// a binary kept in BinDir from before would be stale).
		res.ExitCode = 0
		return res, nil
	}

	// Step 2: run, bounded.
	importPath, err := importPath(opts.Dir, opts.Package)
	if err != nil {
		return res, err
	}
	env := opts.Env
	if opts.Race && os.Getenv("GORACE") == "" && !setsGORACE(opts.Env) {
		// A race-enabled binary sleeps a second before it exits, so that
		// goroutines still reporting a race at exit can finish. Races in a
		// test are reported while the test runs, and the testing package fails
		// the test that had one, so the sleep only slows every passing run.
		env = append(env[:len(env):len(env)], "GORACE=atexit_sleep_ms=0")
	}
	b := &binary{opts: opts, path: bin, importPath: importPath, env: env,
		dir: filepath.Join(opts.Dir, filepath.FromSlash(opts.Package))}
	first, err := b.run(ctx, opts.Run, opts.Timeout)
	res.Output = append(res.Output, first.out...)
	if err != nil {
		return res, err
	}
	stream := first.out
	res.TimedOut = first.timedOut
	if !first.timedOut {
		res.ExitCode = first.code
	}
	if opts.Rerun > 0 && opts.Count <= 1 && !first.ended() {
		var more []byte
		more, err = b.rerun(ctx, first, res)
		res.Output = append(res.Output, more...)
		stream = append(stream[:len(stream):len(stream)], more...)
	}
	rep, _ := testjson.Read(bytes.NewReader(stream))
	if len(res.Reruns) > 0 && res.ExitCode != 0 {
		for _, p := range rep.Packages {
			p.Action = "fail" // the first run failed, whatever the last said
		}
	}
	res.Report = rep
	return res, err
}

// binary is a compiled test binary, ready to run.
type binary struct {
	opts       Options
	path       string
	importPath string
	dir        string // the package's directory, where its tests run
	env        []string
}

// round is one run of the test binary.
type round struct {
	out      []byte
	code     int // test2json's exit status: 1 whenever a test failed or the binary ended early
	timedOut bool
	tests    map[string]testState // by top-level test
	order    []string             // top-level tests in the order they started
}

// testState is where a top-level test was when its run ended.
type testState int

const (
	running testState = iota // started (or resumed) and never finished: the binary ended during it
	paused                   // waiting in t.Parallel to resume: its body never ran
	ended                    // the testing package reported its pass, failure or skip
)

// ended reports whether the binary ran to its end and every test passed.
func (r *round) ended() bool {
	return r.code == 0 && !r.timedOut
}

// reached reports whether the run reached test name: it started and was not
// left waiting to resume (t.Parallel) when the binary ended.
func (r *round) reached(name string) bool {
	st, ok := r.tests[name]
	return ok && st != paused
}

// why says how the run ended early, for a learner: "the test binary ended
// during TestExport".
func (r *round) why(bound time.Duration) string {
	how := "the test binary ended"
	if r.timedOut {
		how = fmt.Sprintf("the test binary was stopped at the time bound (%v)", bound)
	}
	var during []string
	for _, name := range r.order {
		if r.tests[name] == running {
			during = append(during, name)
		}
	}
	switch {
	case len(during) > 0:
		return how + " during " + strings.Join(during, ", ")
	case len(r.order) > 0:
		return how + " after " + r.order[len(r.order)-1]
	}
	return how + " before any test started"
}

// run runs the binary once, with -test.run=pattern ("" runs every test) and
// the given -test.timeout, bounded a little above it.
func (b *binary) run(ctx context.Context, pattern string, timeout time.Duration) (*round, error) {
	opts := b.opts
	opts.Run = pattern
	opts.Timeout = timeout
	bound := timeout
	if bound > 0 {
		bound += bound/4 + 5*time.Second
	}
	prog, args := "go", []string{"tool", "test2json"}
	if opts.Test2JSON != "" {
		prog, args = opts.Test2JSON, nil
	}
	args = append(append(args, "-t", "-p", b.importPath, b.path), testFlags(opts)...)
	out, code, timedOut, err := run(ctx, bound, b.dir, b.env, prog, args...)
	r := &round{out: out, code: code, timedOut: timedOut, tests: map[string]testState{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var e testjson.Event
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil ||
			e.Test == "" || strings.Contains(e.Test, "/") {
			continue
		}
		if _, seen := r.tests[e.Test]; !seen {
			r.order = append(r.order, e.Test)
			r.tests[e.Test] = running
		}
		switch e.Action {
		case "run", "cont":
			r.tests[e.Test] = running
		case "pause":
			r.tests[e.Test] = paused
		case "output":
			// test2json reports a test the binary died in as failed, with
			// no "--- FAIL" line of the testing package's own.
			if strings.HasPrefix(e.Output, "--- FAIL: "+e.Test+" ") {
				r.tests[e.Test] = ended
			}
		case "pass", "skip":
			r.tests[e.Test] = ended
		}
	}
	return r, err
}

const (
	minRerun    = time.Second      // the least time worth starting a run again with
	listTimeout = 10 * time.Second // bounds -test.list, which runs the package's init
)

// rerun runs again, as often as needed and within opts.Rerun, the tests
// that the runs so far never reached, and records the runs in res. It
// returns the runs' output. It stops when every listed test was reached,
// when a run reaches none of its tests (the binary ends before any: an
// init, a TestMain), or when the time runs out; tests still not reached
// are res.NotRun.
func (b *binary) rerun(ctx context.Context, first *round, res *Result) ([]byte, error) {
	deadline := time.Now().Add(b.opts.Rerun)
	last := first
	if len(first.order) == 0 {
		return nil, nil // nothing ran: the binary cannot reach its tests at all
	}
	listed, err := b.list(ctx, listTimeout)
	if err != nil {
		// Without the list the tests not reached are unknown; the first
		// run stands as it is.
		return nil, nil
	}
	reached := map[string]bool{}
	var out []byte
	for {
		for _, name := range last.order {
			if last.reached(name) {
				reached[name] = true
			}
		}
		var missing []string
		for _, name := range listed {
			if !reached[name] {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			return out, nil
		}
		progress := false
		for _, name := range last.order {
			progress = progress || last.reached(name)
		}
		timeout := b.opts.Timeout
		if left := time.Until(deadline); timeout == 0 || left < timeout {
			timeout = left
		}
		if !progress || timeout < minRerun || last.ended() {
			// A run that ended by itself without reaching them will not
			// reach them the next time either.
			res.NotRun = missing
			return out, nil
		}
		res.Reruns = append(res.Reruns, Rerun{Tests: missing, Why: last.why(b.opts.Timeout)})
		next, err := b.run(ctx, "^("+strings.Join(missing, "|")+")$", timeout)
		out = append(out, next.out...)
		if err != nil {
			return out, err
		}
		if next.timedOut {
			res.TimedOut = true
		}
		last = next
	}
}

// list asks the test binary for its top-level tests, fuzz targets and
// examples (what a run without -test.bench runs) that opts.Run selects.
func (b *binary) list(ctx context.Context, bound time.Duration) ([]string, error) {
	pattern := b.opts.Run
	if pattern == "" {
		pattern = "."
	}
	out, code, timedOut, err := run(ctx, bound, b.dir, b.env, b.path, "-test.list="+pattern)
	switch {
	case err != nil:
		return nil, err
	case timedOut || code != 0:
		return nil, fmt.Errorf("%s -test.list failed", b.path)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "Test") || strings.HasPrefix(line, "Fuzz") || strings.HasPrefix(line, "Example") {
			names = append(names, line)
		}
	}
	return names, nil
}

// setsGORACE reports whether env sets GORACE, which then replaces the
// default one.
func setsGORACE(env []string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, "GORACE=") {
			return true
		}
	}
	return false
}

// hasTests reports whether dir holds any _test.go file.
func hasTests(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	return len(matches) > 0
}

// binaryPath is where the test binary goes, and what to remove afterwards.
func binaryPath(opts Options) (string, func(), error) {
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	if opts.BinDir != "" {
		if err := os.MkdirAll(opts.BinDir, 0o755); err != nil {
			return "", nil, err
		}
		name := strings.NewReplacer("/", "_", "\\", "_", ".", "").Replace(strings.TrimPrefix(opts.Package, "./"))
		if opts.Race {
			name += ".race"
		}
		return filepath.Join(opts.BinDir, name+".test"+exe), func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "kata-test-")
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(tmp, "lesson.test"+exe), func() { os.RemoveAll(tmp) }, nil
}

// run runs a command in dir with a bound (0: none) and returns its combined
// output and exit code. timedOut means the bound ran out and the command's
// whole process group was killed.
func run(ctx context.Context, bound time.Duration, dir string, env []string, name string, args ...string) (out []byte, code int, timedOut bool, err error) {
	parent := ctx
	if bound > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, bound)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	killGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case parent.Err() != nil:
		return buf.Bytes(), -1, false, parent.Err()
	case ctx.Err() != nil:
		return buf.Bytes(), -1, true, nil
	case errors.As(err, &exit):
		return buf.Bytes(), exit.ExitCode(), false, nil
	case err != nil:
		return buf.Bytes(), -1, false, fmt.Errorf("running %s %s: %w", name, strings.Join(args, " "), err)
	}
	return buf.Bytes(), 0, false, nil
}

// importPath is the import path of pkg (relative to the module root dir),
// from the module path in dir/go.mod.
func importPath(dir, pkg string) (string, error) {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if mod, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return path.Join(strings.Trim(mod, `"`), pkg), nil
		}
	}
	return "", fmt.Errorf("%s/go.mod has no module line", dir)
}

// Toolchain is what Probe learns about the go command on this machine.
type Toolchain struct {
	Race      bool   // go test -race can work
	NoRaceWhy string // if not, why, in a sentence for the learner
	Test2JSON string // the test2json program if GOTOOLDIR has it (before Go 1.24); see FindTest2JSON
	GoVersion string
}

// Probe asks the go command, once, about cgo, the C compiler and its tool
// directory. -race needs cgo and a C compiler on most systems.
func Probe(ctx context.Context) (Toolchain, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "CGO_ENABLED", "CC", "GOTOOLDIR", "GOVERSION").Output()
	if err != nil {
		return Toolchain{}, fmt.Errorf("could not run the go command: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	for len(lines) < 4 {
		lines = append(lines, "")
	}
	tc := Toolchain{GoVersion: lines[3]}
	t2j := filepath.Join(lines[2], "test2json")
	if runtime.GOOS == "windows" {
		t2j += ".exe"
	}
	if _, err := os.Stat(t2j); err == nil {
		tc.Test2JSON = t2j
	}
	switch {
	case lines[0] != "1":
		tc.NoRaceWhy = "cgo is disabled (CGO_ENABLED=0), and the race detector needs it"
	case lines[1] == "":
		tc.NoRaceWhy = "no C compiler is configured (go env CC is empty), and the race detector needs one"
	default:
		if _, err := exec.LookPath(strings.Fields(lines[1])[0]); err != nil {
			tc.NoRaceWhy = fmt.Sprintf("the C compiler %q is not installed, and the race detector needs one (install gcc or clang)", lines[1])
		} else {
			tc.Race = true
		}
	}
	return tc, nil
}

// FindTest2JSON returns the path of the test2json program, which Go 1.24 and
// later build on first use and keep in the build cache. Asking the go command
// costs a fraction of a second, so the answer is remembered in cacheFile,
// keyed by Go version, and checked on disk before it is trusted again.
func FindTest2JSON(ctx context.Context, goVersion, cacheFile string) (string, error) {
	type cached struct {
		GoVersion string `json:"go_version"`
		Test2JSON string `json:"test2json"`
	}
	var c cached
	if data, err := os.ReadFile(cacheFile); err == nil && json.Unmarshal(data, &c) == nil &&
		c.GoVersion == goVersion && c.Test2JSON != "" {
		if _, err := os.Stat(c.Test2JSON); err == nil {
			return c.Test2JSON, nil
		}
	}
	out, err := exec.CommandContext(ctx, "go", "tool", "-n", "test2json").Output()
	if err != nil {
		return "", fmt.Errorf("finding test2json: %w", err)
	}
	path := strings.TrimSpace(string(out))
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("go tool -n test2json gave %q: %w", path, err)
	}
	if data, err := json.Marshal(cached{GoVersion: goVersion, Test2JSON: path}); err == nil {
		if os.MkdirAll(filepath.Dir(cacheFile), 0o755) == nil {
			os.WriteFile(cacheFile, data, 0o644) // a cache: failing to write it costs only speed
		}
	}
	return path, nil
}
