package verify

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gokatas/concurrency/tools/internal/atomicfile"
	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/gotest"
)

// parts checks that the lesson has everything the lesson contract asks for.
//
// It judges the lesson as published: the pristine files gathered by laidOut
// (from disk, or from git where a learner has changed them), so that a
// learner's solved starter, which has no TODO left, is not held against the
// course. Without a pristine record it reads the files on disk.
func (v *lessonRun) parts() {
	l := v.lesson
	var problems []string
	readme, err := v.file("README.md")
	if err != nil {
		problems = append(problems, "no README.md")
	} else {
		got := catalog.Sections(readme)
		next := 0
		for _, h := range got {
			if next < len(catalog.RequiredSections) && h == catalog.RequiredSections[next] {
				next++
			}
		}
		if next < len(catalog.RequiredSections) {
			problems = append(problems, fmt.Sprintf("README.md lacks the section %q (sections, in order: %s)",
				catalog.RequiredSections[next], strings.Join(catalog.RequiredSections, ", ")))
		}
		if !strings.Contains(readme, "```mermaid") {
			problems = append(problems, "README.md has no Mermaid diagram")
		}
		if !strings.HasPrefix(readme, fmt.Sprintf("# %02d · ", l.Number)) {
			problems = append(problems, fmt.Sprintf("README.md does not start with \"# %02d · Title\"", l.Number))
		}
		if tasks, err := catalog.ParseTasks(readme); err != nil {
			problems = append(problems, err.Error())
		} else {
			v.tasks = tasks
		}
	}
	if text, err := v.file("hints.md"); err != nil {
		problems = append(problems, "no hints.md")
	} else if hints, err := catalog.ParseHints(text); err != nil {
		problems = append(problems, "hints.md: "+err.Error())
	} else if len(hints) < MinHints {
		problems = append(problems, fmt.Sprintf("hints.md has %d hints, want at least %d", len(hints), MinHints))
	}
	starters, others, tests := v.starters, v.others, v.tests
	if v.pristine == nil {
		starters, tests, others, err = onDisk(l)
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	problems = append(problems, declared(l, starters, others)...)
	if len(tests) == 0 {
		problems = append(problems, "no _test.go files")
	}
	todo := false
	for _, name := range starters {
		data, _ := v.file(name)
		todo = todo || strings.Contains(data, "TODO")
	}
	if !todo {
		problems = append(problems, "no TODO mark in the files to edit")
	}
	if sol, err := l.SolutionFiles(); err != nil {
		problems = append(problems, "no solution directory: "+err.Error())
	} else if !slices.Equal(sol, l.EditFiles()) {
		problems = append(problems, fmt.Sprintf("solution files %v do not mirror the files to edit %v (contract files are not copied)", sol, l.EditFiles()))
	}
	if _, err := os.Stat(filepath.Join(l.SolutionPath(), "NOTES.md")); err != nil {
		problems = append(problems, "no NOTES.md beside the solution")
	}
	mistakes, err := l.Mistakes()
	switch {
	case err != nil:
		problems = append(problems, err.Error())
	case len(mistakes) < MinMistakes:
		problems = append(problems, fmt.Sprintf("%d known mistakes, want at least %d", len(mistakes), MinMistakes))
	}
	for _, m := range mistakes {
		if !slices.Contains(l.EditFiles(), m.Replaces) {
			problems = append(problems, fmt.Sprintf("mistake %s replaces %s, which is not a file to edit %v", m.Name, m.Replaces, l.EditFiles()))
		}
	}
	v.add(Check{Name: "parts", OK: len(problems) == 0, Detail: strings.Join(problems, "\n")})
}

// onDisk sorts the lesson's files on disk as laidOut sorts the record's.
func onDisk(l *catalog.Lesson) (starters, tests, others []string, err error) {
	entries, err := os.ReadDir(l.Path())
	if err != nil {
		return nil, nil, nil, err
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() || !strings.HasSuffix(name, ".go"):
		case strings.HasSuffix(name, "_test.go"):
			tests = append(tests, name)
		case slices.Contains(l.EditFiles(), name):
			starters = append(starters, name)
		default:
			others = append(others, name)
		}
	}
	return starters, tests, others, nil
}

// declared checks that the lesson's Go files are the ones course.json
// declares: every file to edit and every contract file is there, and every
// other non-test file is declared as one or the other.
func declared(l *catalog.Lesson, starters, others []string) []string {
	var problems []string
	for _, name := range l.EditFiles() {
		if !slices.Contains(starters, name) {
			problems = append(problems, fmt.Sprintf("%s declares %s as a file to edit, but the lesson has no such file", catalog.CourseFile, name))
		}
	}
	for _, name := range l.ContractFiles() {
		if !slices.Contains(others, name) {
			problems = append(problems, fmt.Sprintf("%s declares %s as a contract file, but the lesson has no such file", catalog.CourseFile, name))
		}
	}
	for _, name := range others {
		if !slices.Contains(l.ContractFiles(), name) {
			problems = append(problems, fmt.Sprintf("%s is not declared in %s: add it to the lesson's \"edit\" or \"contract\" list", name, catalog.CourseFile))
		}
	}
	return problems
}

// file returns a lesson file as published: its pristine content if laidOut
// gathered it, else the file on disk.
func (v *lessonRun) file(name string) (string, error) {
	if data, ok := v.pristine[name]; ok {
		return string(data), nil
	}
	data, err := os.ReadFile(filepath.Join(v.lesson.Path(), name))
	return string(data), err
}

// starter checks that the pristine starter compiles and fails, quickly, with
// at least one failing test for every task.
func (v *lessonRun) starter(ctx context.Context, race bool) {
	name := "starter"
	if race {
		name += " -race"
	}
	res, err := v.run(ctx, name, nil, gotest.Options{Race: race, Timeout: StarterLimit})
	if err != nil {
		v.add(Check{Name: name, Detail: err.Error()})
		return
	}
	d := diagnose.Run(res, v.lesson.Dir)
	pkg := v.pkgElapsed(res)
	c := Check{Name: name, Duration: pkg}
	switch {
	case res.Passed():
		c.Detail = "the pristine starter passes its tests: the lesson teaches nothing"
	case res.TimedOut:
		c.Detail = fmt.Sprintf("the starter's tests did not finish within %v: a hang that no watchdog reported", StarterLimit)
	case d.Kind == diagnose.BuildFailed:
		c.Detail = "the starter does not compile:\n" + d.Evidence
	case pkg > StarterLimit:
		c.Detail = fmt.Sprintf("the starter's tests took %v to fail, want under %v", pkg.Round(time.Millisecond), StarterLimit)
	default:
		c.OK = true
		var untested []string
		for _, t := range v.tasks {
			failing := false
			for _, test := range t.Tests {
				failing = failing || !slices.Contains(d.Passed, test)
			}
			if !failing {
				untested = append(untested, fmt.Sprint(t.Number))
			}
		}
		if len(untested) > 0 {
			c.OK = false
			c.Detail = fmt.Sprintf("every test of task %s passes on the starter: each task needs a test that fails", strings.Join(untested, ", "))
		} else {
			c.Detail = fmt.Sprintf("fails as it should: %s, in %v", d.Kind, pkg.Round(time.Millisecond))
		}
	}
	v.add(c)
}

// solution checks that the solution passes under stress and within budget,
// and that every test the README names exists.
func (v *lessonRun) solution(ctx context.Context) {
	opts := gotest.Options{Race: true, Count: SolutionCount, CPU: SolutionCPU, Shuffle: true, Timeout: solutionLimit}
	res, err := v.run(ctx, "solution", v.solutions, opts)
	if err != nil {
		v.add(Check{Name: "solution", Detail: err.Error()})
		return
	}
	pkg := v.pkgElapsed(res)
	runs := SolutionCount * (strings.Count(SolutionCPU, ",") + 1)
	perRun := pkg / time.Duration(runs)
	budget := DefaultBudget
	if v.lesson.Budget > 0 {
		budget = v.lesson.Budget
	}
	c := Check{Name: "solution", Duration: pkg}
	d := diagnose.Run(res, v.lesson.Dir)
	switch {
	case !res.Passed():
		c.Detail = fmt.Sprintf("the solution fails under -race -count=%d -cpu=%s -shuffle=on: %s\n%s\n%s",
			SolutionCount, SolutionCPU, d.Summary(), failureText(d), d.Evidence)
	case perRun > budget:
		c.Detail = fmt.Sprintf("the solution's tests take %v per run, over the budget of %v", perRun.Round(time.Millisecond), budget)
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("passes %d runs, %v per run", runs, perRun.Round(time.Millisecond))
		var missing []string
		for _, t := range v.tasks {
			for _, test := range t.Tests {
				if !slices.Contains(d.Passed, test) {
					missing = append(missing, test)
				}
			}
		}
		if len(missing) > 0 {
			c.OK = false
			c.Detail = fmt.Sprintf("README names tests that did not run and pass: %s", strings.Join(missing, ", "))
		}
	}
	v.add(c)
}

// vet checks that the solution, laid over the lesson's pristine files (its
// contract files among them), is vet-clean. A solution directory is not a
// package on its own when the lesson has contract files, so `go vet
// ./solutions/...` cannot judge it.
func (v *lessonRun) vet(ctx context.Context) {
	dir, err := os.MkdirTemp("", "kata-vet-")
	if err != nil {
		v.add(Check{Name: "solution vet", Detail: err.Error()})
		return
	}
	defer os.RemoveAll(dir)
	if err := v.layout(dir, v.solutions); err != nil {
		v.add(Check{Name: "solution vet", Detail: err.Error()})
		return
	}
	cmd := exec.CommandContext(ctx, "go", "vet", v.lesson.ImportPath())
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	c := Check{Name: "solution vet", OK: err == nil, Detail: strings.TrimSpace(string(out))}
	if c.OK {
		c.Detail = "go vet finds nothing"
	}
	v.add(c)
}

// mistakes checks that every known mistake, laid over the solution, fails
// as the kind its header declares, with the words its header expects, on
// every one of MistakeCount runs at each GOMAXPROCS of MistakeCPU, under
// -race (see mistakeRuns). A mistake caught on some runs only is not caught.
func (v *lessonRun) mistakes(ctx context.Context) {
	mistakes, err := v.lesson.Mistakes()
	if err != nil {
		return // reported by parts
	}
	for _, m := range mistakes {
		name := "mistake " + m.Name
		if mistakeCount() == 0 {
			v.add(Check{Name: name, Skipped: true, Detail: "not run: KATA_MISTAKE_RUNS=0 checks starters and solutions only"})
			continue
		}
		files := map[string][]byte{}
		for k, data := range v.solutions {
			files[k] = data
		}
		sol, ok := v.solutions[m.Replaces]
		if !ok {
			v.add(Check{Name: name, Detail: fmt.Sprintf("\"// Replaces: %s\" names no file to edit with a solution", m.Replaces)})
			continue
		}
		data, err := m.Source(sol)
		if err != nil {
			v.add(Check{Name: name, Detail: err.Error()})
			continue
		}
		files[m.Replaces] = data
		res, runs, err := v.mistakeRuns(ctx, name, files, mistakeLimit)
		if err != nil {
			v.add(Check{Name: name, Detail: err.Error()})
			continue
		}
		d := diagnose.Run(res, v.lesson.Dir)
		c := Check{Name: name, Duration: v.pkgElapsed(res)}
		out := res.Report.AllText()
		var missing []string
		for _, e := range m.Expect {
			if !strings.Contains(out, e) {
				missing = append(missing, fmt.Sprintf("%q", e))
			}
		}
		switch {
		case m.CompileError && d.Kind != diagnose.BuildFailed:
			c.Detail = "the header says \"Compiles: no\", but it compiled"
		case m.CompileError && len(missing) > 0:
			c.Detail = fmt.Sprintf("the compiler rejects it, but its output lacks %s:\n%s", strings.Join(missing, ", "), d.Evidence)
		case m.CompileError:
			c.OK = true
			c.Detail = "rejected by the compiler: " + firstLine(d.Evidence)
		case res.Passed() && runs.Caught == 0:
			c.Detail = "the tests pass this known mistake: " + m.Summary
		case d.Kind == diagnose.BuildFailed:
			c.Detail = "the mistake does not compile, so it proves nothing (mark it \"// Compiles: no\" if the compiler is the point):\n" + d.Evidence
		case res.TimedOut:
			c.Detail = fmt.Sprintf("the tests ran past %v on this mistake; a watchdog must report a hang within seconds", mistakeLimit)
		case !runs.All():
			c.Detail = fmt.Sprintf("not caught: %s; a known mistake must fail every run: %s", runs, m.Summary)
		case d.Kind.String() != m.Kind:
			c.Detail = fmt.Sprintf("fails, but the course tool diagnoses %q where the header says \"// Kind: %s\": %s", d.Kind, m.Kind, d.Summary())
		case !oneKind(runs, m.Kind):
			c.Detail = fmt.Sprintf("fails, but the diagnosed kind changes from run to run (%s; the header says \"// Kind: %s\"): a kind must be diagnosed on every run", runs.kindsSeen(), m.Kind)
		case len(missing) > 0:
			c.Detail = fmt.Sprintf("fails (%s) but the output lacks %s", d.Kind, strings.Join(missing, ", "))
		default:
			c.OK = true
			c.Detail = fmt.Sprintf("caught: %s; %s", d.Summary(), runs)
		}
		v.add(c)
	}
}

func failureText(d diagnose.Diagnosis) string {
	var b strings.Builder
	for _, f := range d.Failures {
		fmt.Fprintf(&b, "%s:\n%s\n", f.Test, f.Message)
	}
	return b.String()
}

// pkgElapsed is how long the test binary ran, as go test reported it, which
// leaves compilation out.
func (v *lessonRun) pkgElapsed(res *gotest.Result) time.Duration {
	for _, p := range res.Report.Packages {
		if strings.HasSuffix(p.Path, "/"+v.lesson.Dir) {
			return p.Elapsed
		}
	}
	return res.Duration
}

// run lays the lesson out in a temporary module, with files put in place of
// the pristine ones, and runs its tests.
func (v *lessonRun) run(ctx context.Context, label string, files map[string][]byte, opts gotest.Options) (*gotest.Result, error) {
	dir, err := os.MkdirTemp("", "kata-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := v.layout(dir, files); err != nil {
		return nil, fmt.Errorf("laying out %s for %s: %w", v.lesson.Dir, label, err)
	}
	opts.Dir = dir
	opts.Package = v.lesson.ImportPath()
	return gotest.Run(ctx, opts)
}

func (v *lessonRun) layout(dir string, files map[string][]byte) error {
	root := v.opts.Course.Root
	for _, name := range []string{"go.mod", "go.sum"} {
		if err := atomicfile.Copy(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	// The lessons' shared code: the test kit, and the evidence package it
	// shares with the course tool (absent from a fixture course).
	for _, shared := range []string{"lessons/internal", "tools/evidence"} {
		from := filepath.Join(root, filepath.FromSlash(shared))
		if _, err := os.Stat(from); os.IsNotExist(err) && shared != "lessons/internal" {
			continue
		}
		if err := copyTree(from, filepath.Join(dir, filepath.FromSlash(shared))); err != nil {
			return err
		}
	}
	lessonDir := filepath.Join(dir, "lessons", v.lesson.Dir)
	if err := os.MkdirAll(lessonDir, 0o755); err != nil {
		return err
	}
	for name, data := range v.pristine {
		if err := os.WriteFile(filepath.Join(lessonDir, name), data, 0o644); err != nil {
			return err
		}
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(lessonDir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		return atomicfile.Copy(path, filepath.Join(to, rel))
	})
}

// oneKind reports whether every failing process of runs was diagnosed as kind.
func oneKind(runs Runs, kind string) bool {
	k, ok := runs.OneKind()
	return ok && k == kind
}
