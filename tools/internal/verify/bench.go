package verify

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
)

// Settings of the benchmark step, which only `kata verify --bench` runs: it
// measures, and reports what it measured, but never fails a lesson for a
// speed, since wall-clock time depends on the machine and its load.
const (
	BenchCPU   = "1,2"            // -cpu for the benchmarks: the speedup is -cpu=2 over -cpu=1
	BenchCount = 5                // -count for the benchmarks; the median of the runs is reported
	benchLimit = 10 * time.Minute // bounds one benchmark run
	// BenchCompare is the header line of a known mistake whose benchmark is
	// compared with the solution's at the last GOMAXPROCS of BenchCPU:
	// "// Bench: compare".
	BenchCompare = "Bench: compare"
)

// A BenchResult is one line of `go test -bench` output: a benchmark, the
// GOMAXPROCS it ran at, and its time per operation.
type BenchResult struct {
	Name    string  // "BenchmarkSum", without the -N suffix
	CPU     int     // GOMAXPROCS: the -N suffix, or 1 when there is none
	NsPerOp float64 // ns/op
}

// ParseBench reads the result lines of `go test -bench -cpu=...` output
// and returns them in order. Other lines (goos, pkg, PASS, ok) are skipped.
// The testing package adds -N to a benchmark's name when it ran at
// GOMAXPROCS N other than 1; a suffix counts as one only if N is in cpus,
// the -cpu list of the run, so that a sub-benchmark named "size-10" keeps
// its name. (A sub-benchmark whose name ends in -N for an N of the list is
// read wrong; the testing package's output cannot tell the two apart.)
func ParseBench(out string, cpus []int) []BenchResult {
	var results []BenchResult
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		ns := slices.Index(f, "ns/op")
		if ns < 3 {
			continue
		}
		v, err := strconv.ParseFloat(f[ns-1], 64)
		if err != nil {
			continue
		}
		r := BenchResult{Name: f[0], CPU: 1, NsPerOp: v}
		if i := strings.LastIndexByte(f[0], '-'); i > 0 {
			if n, err := strconv.Atoi(f[0][i+1:]); err == nil && n > 1 && slices.Contains(cpus, n) {
				r.Name, r.CPU = f[0][:i], n
			}
		}
		results = append(results, r)
	}
	return results
}

// medians returns the median ns/op of each benchmark at each GOMAXPROCS,
// and the benchmarks' names in the order first seen. On a shared machine
// one run in several can be far faster or slower than the rest (another
// process took a core, or left one idle); the median of an odd count
// ignores either.
func medians(results []BenchResult) (map[string]map[int]float64, []string) {
	all := map[string]map[int][]float64{}
	var names []string
	for _, r := range results {
		if all[r.Name] == nil {
			all[r.Name] = map[int][]float64{}
			names = append(names, r.Name)
		}
		all[r.Name][r.CPU] = append(all[r.Name][r.CPU], r.NsPerOp)
	}
	by := map[string]map[int]float64{}
	for name, cpus := range all {
		by[name] = map[int]float64{}
		for cpu, v := range cpus {
			slices.Sort(v)
			m := v[len(v)/2]
			if len(v)%2 == 0 {
				m = (v[len(v)/2-1] + m) / 2
			}
			by[name][cpu] = m
		}
	}
	return by, names
}

// A benchLine is what the benchmark step says about one benchmark.
type benchLine struct{ name, text string }

// speedups words, for each benchmark, its time at GOMAXPROCS 1 over its
// time at GOMAXPROCS n: "1.92x at -cpu=2 over -cpu=1 (14.1ms → 7.34ms per
// op)".
func speedups(results []BenchResult, n int) []benchLine {
	by, names := medians(results)
	var lines []benchLine
	for _, name := range names {
		one, okOne := by[name][1]
		many, okMany := by[name][n]
		if !okOne || !okMany || many == 0 {
			continue
		}
		lines = append(lines, benchLine{name, fmt.Sprintf("%.2fx at -cpu=%d over -cpu=1 (%v → %v per op, medians)", one/many, n, dur(one), dur(many))})
	}
	return lines
}

// slowdowns words, for each benchmark of the solution that the mistake has
// too, the mistake's time over the solution's at GOMAXPROCS n: "3.10x the
// solution's time at -cpu=2 (22.8ms against 7.34ms per op)".
func slowdowns(solution, mistake []BenchResult, n int) []benchLine {
	sol, names := medians(solution)
	bad, _ := medians(mistake)
	var lines []benchLine
	for _, name := range names {
		s, okS := sol[name][n]
		m, okM := bad[name][n]
		if !okS || !okM || s == 0 {
			continue
		}
		lines = append(lines, benchLine{name, fmt.Sprintf("%.2fx the solution's time at -cpu=%d (%v against %v per op, medians)", m/s, n, dur(m), dur(s))})
	}
	return lines
}

func dur(ns float64) time.Duration {
	return time.Duration(ns).Round(10 * time.Microsecond)
}

// Bench runs the benchmarks of the lesson's solution at each GOMAXPROCS of
// BenchCPU and reports the speedup of each, then runs them on every known
// mistake marked "// Bench: compare" and reports how the mistake compares
// with the solution. The checks report, they do not judge: a check fails
// only if the benchmarks could not run. A lesson with no benchmark gets one
// skipped check.
func Bench(ctx context.Context, opts Options, l *catalog.Lesson) []Check {
	v := &lessonRun{opts: opts, lesson: l}
	if !v.laidOut() {
		return v.checks
	}
	has := false
	for _, name := range v.tests {
		has = has || strings.Contains(string(v.pristine[name]), "\nfunc Benchmark")
	}
	if !has {
		v.add(Check{Name: "bench", Skipped: true, Detail: "the lesson has no benchmark"})
		return v.checks
	}
	cpus := strings.Split(BenchCPU, ",")
	last, _ := strconv.Atoi(cpus[len(cpus)-1])
	start := time.Now()
	sol, err := v.bench(ctx, v.solutions, BenchCPU)
	took := time.Since(start)
	lines := speedups(sol, last)
	switch {
	case err != nil:
		v.add(Check{Name: "bench", Detail: err.Error(), Duration: took})
		return v.checks
	case len(lines) == 0:
		v.add(Check{Name: "bench", Detail: "no benchmark ran at every -cpu of " + BenchCPU, Duration: took})
		return v.checks
	}
	for _, b := range lines {
		v.add(Check{Name: "bench " + b.name, OK: true, Detail: b.text, Duration: took})
	}
	mistakes, _ := l.Mistakes()
	for _, m := range mistakes {
		data, err := os.ReadFile(m.Path)
		if err != nil || !strings.Contains(string(data), "// "+BenchCompare+"\n") {
			continue
		}
		files := map[string][]byte{}
		for k, d := range v.solutions {
			files[k] = d
		}
		files[m.Replaces] = data
		start := time.Now()
		res, err := v.bench(ctx, files, strconv.Itoa(last))
		took := time.Since(start)
		name := "bench mistake " + m.Name
		lines := slowdowns(sol, res, last)
		switch {
		case err != nil:
			v.add(Check{Name: name, Detail: err.Error(), Duration: took})
		case len(lines) == 0:
			v.add(Check{Name: name, Detail: "none of the solution's benchmarks ran on the mistake", Duration: took})
		}
		for _, b := range lines {
			v.add(Check{Name: name + " " + b.name, OK: true, Detail: b.text, Duration: took})
		}
	}
	return v.checks
}

// bench lays the lesson out with files in place and runs its benchmarks,
// and no test, at cpu, BenchCount times.
func (v *lessonRun) bench(ctx context.Context, files map[string][]byte, cpu string) ([]BenchResult, error) {
	dir, err := os.MkdirTemp("", "kata-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := v.layout(dir, files); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, benchLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-run=^$", "-bench=.", "-cpu="+cpu,
		fmt.Sprintf("-count=%d", BenchCount), v.lesson.ImportPath())
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench failed: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	var list []int
	for _, c := range strings.Split(cpu, ",") {
		if n, err := strconv.Atoi(c); err == nil {
			list = append(list, n)
		}
	}
	return ParseBench(string(out), list), nil
}
