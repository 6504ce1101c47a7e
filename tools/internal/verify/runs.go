package verify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/gotest"
	"github.com/gokatas/concurrency/tools/internal/testjson"
)

// Runs counts how many runs of a mistake's tests failed: a run is one pass
// over every test at one GOMAXPROCS (one iteration of -count at one -cpu).
type Runs struct {
	Caught, Total int
	Processes     int            // test processes it took
	Kinds         map[string]int // the diagnosed kind of each failing process, counted
}

// OneKind returns the kind every failing process was diagnosed as, and
// whether there was exactly one: a mistake whose kind changes from run to
// run is diagnosed by luck.
func (r Runs) OneKind() (string, bool) {
	if len(r.Kinds) != 1 {
		return "", false
	}
	for k := range r.Kinds {
		return k, true
	}
	return "", false
}

// kindsSeen lists the kinds with their counts: "deadlock or hang ×3, test failed ×7".
func (r Runs) kindsSeen() string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(r.Kinds)) {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, r.Kinds[k]))
	}
	return strings.Join(parts, ", ")
}

// All reports whether every run failed.
func (r Runs) All() bool { return r.Total > 0 && r.Caught == r.Total }

func (r Runs) String() string {
	procs := "1 process"
	if r.Processes != 1 {
		procs = fmt.Sprintf("%d processes", r.Processes)
	}
	return fmt.Sprintf("caught %d of %d runs (-race, -count=%d at -cpu=%s; %s)", r.Caught, r.Total, mistakeCount(), MistakeCPU, procs)
}

// mistakeRuns lays the files out once and runs the tests MistakeCount times
// at each GOMAXPROCS of MistakeCPU, under -race, counting the runs that
// failed. One process runs them all when it can. A process that ends early
// (a panic, a deadlock report, a hang) has the run it ended in counted as
// caught, and the runs it did not reach are run in further processes. A
// process that fails with every run in it passing (a check in TestMain,
// after the tests) is run again one run per process, since its failure
// belongs to no one run. first is the first process's result, which holds
// the diagnosis and the words the mistake must print.
func (v *lessonRun) mistakeRuns(ctx context.Context, label string, files map[string][]byte, limit time.Duration) (first *gotest.Result, runs Runs, err error) {
	dir, err := os.MkdirTemp("", "kata-verify-")
	if err != nil {
		return nil, runs, err
	}
	defer os.RemoveAll(dir)
	if err := v.layout(dir, files); err != nil {
		return nil, runs, fmt.Errorf("laying out %s for %s: %w", v.lesson.Dir, label, err)
	}
	base := gotest.Options{Dir: dir, Package: v.lesson.ImportPath(), Race: true, BinDir: filepath.Join(dir, ".bin"), Env: []string{raceEveryRun()}}
	do := func(cpu string, count int) (*gotest.Result, error) {
		o := base
		o.CPU, o.Count, o.Timeout = cpu, count, limit+time.Duration(count)*v.budget()
		runs.Processes++
		res, err := gotest.Run(ctx, o)
		if err == nil && !res.Passed() {
			if runs.Kinds == nil {
				runs.Kinds = map[string]int{}
			}
			runs.Kinds[diagnose.Run(res, v.lesson.Dir).Kind.String()]++
		}
		return res, err
	}
	// one runs each run of plan in a process of its own.
	one := func(plan []string) error {
		for _, cpu := range plan {
			res, err := do(cpu, 1)
			if err != nil {
				return err
			}
			if !res.Passed() {
				runs.Caught++
			}
		}
		return nil
	}
	var plan []string // the GOMAXPROCS of each run, in the order go test runs them
	for _, cpu := range strings.Split(MistakeCPU, ",") {
		for range mistakeCount() {
			plan = append(plan, cpu)
		}
	}
	runs.Total = len(plan)

	first, err = do(MistakeCPU, mistakeCount())
	if err != nil || first.BuildFailed {
		return first, runs, err
	}
	n, whole := settle(&runs, first, len(plan))
	if whole {
		return first, runs, one(plan)
	}
	for rest := plan[n:]; len(rest) > 0; rest = rest[n:] {
		k := 1
		for k < len(rest) && rest[k] == rest[0] {
			k++
		}
		res, err := do(rest[0], k)
		if err != nil {
			return first, runs, err
		}
		if n, whole = settle(&runs, res, k); whole {
			if err := one(rest[:k]); err != nil {
				return first, runs, err
			}
			n = k
		}
	}
	return first, runs, nil
}

// raceEveryRun is the GORACE setting for a mistake's runs. By default the
// race detector reports a race only the first time its pair of stacks (or
// addresses) is seen in a process, so the later runs of -count would pass a
// race mistake that the first run caught; these options make it report the
// race again in every run. The user's own GORACE options are kept.
func raceEveryRun() string {
	opts := "atexit_sleep_ms=0 suppress_equal_stacks=0 suppress_equal_addresses=0"
	if own := os.Getenv("GORACE"); own != "" {
		opts = own + " " + opts
	}
	return "GORACE=" + opts
}

// budget is the lesson's per-run time budget.
func (v *lessonRun) budget() time.Duration {
	if v.lesson.Budget > 0 {
		return v.lesson.Budget
	}
	return DefaultBudget
}

// settle counts the caught runs of a process that was to do planned runs,
// and returns how many of them it settled (at least one). whole means the
// process of several runs failed although every run in it passed, so that
// its failure cannot be put on any one run: nothing is counted, and the
// caller runs them again one per process.
func settle(runs *Runs, res *gotest.Result, planned int) (settled int, whole bool) {
	outcomes, unended := roundOutcomes(res)
	if len(outcomes) == 0 || (planned == 1 && !res.Passed()) {
		// No test ran (the binary failed before its first test), or one
		// run that failed, however.
		if !res.Passed() {
			runs.Caught++
		}
		return 1, false
	}
	settled = min(len(outcomes), planned)
	caught := 0
	for _, failed := range outcomes[:settled] {
		if failed {
			caught++
		}
	}
	early := unended || res.TimedOut || (!res.Passed() && len(outcomes) < planned)
	switch {
	case early && !outcomes[settled-1]:
		// It ended inside its last run reached, between two tests.
		caught++
	case !early && !res.Passed() && caught == 0:
		return 0, true
	case !early:
		// A process that ran to its end did every run it was given; a run
		// missing from its stream is not counted as caught.
		settled = planned
	}
	runs.Caught += caught
	return settled, false
}

// roundOutcomes reads a test process's event stream and returns, for each
// run (pass over the top-level tests) it reached, whether a test failed in
// it; unended means a test started that never ended (the process died in
// it), and its run counts as failed.
func roundOutcomes(res *gotest.Result) (failed []bool, unended bool) {
	started := map[string]int{} // top-level test -> runs started
	ended := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(res.Output))
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	mark := func(round int) {
		for len(failed) <= round {
			failed = append(failed, false)
		}
	}
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var e testjson.Event
		if json.Unmarshal(line, &e) != nil || e.Test == "" || strings.Contains(e.Test, "/") {
			continue
		}
		switch e.Action {
		case "run":
			mark(started[e.Test])
			started[e.Test]++
		case "pass", "skip", "fail":
			r := ended[e.Test]
			ended[e.Test]++
			mark(r)
			if e.Action == "fail" {
				failed[r] = true
			}
		}
	}
	for name, n := range started {
		if ended[name] < n {
			unended = true
			failed[n-1] = true
		}
	}
	return failed, unended
}
