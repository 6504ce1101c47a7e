// Package testjson reads the event stream that `go test -json` writes (the
// test2json format) and gathers it into one result per package and test.
package testjson

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// An Event is one line of `go test -json` output. See `go doc test2json`.
type Event struct {
	Time        time.Time `json:",omitempty"`
	Action      string    // start, run, pause, cont, pass, bench, fail, output, skip, build-output, build-fail
	Package     string    `json:",omitempty"`
	ImportPath  string    `json:",omitempty"` // for build-output and build-fail
	Test        string    `json:",omitempty"`
	Elapsed     float64   `json:",omitempty"` // seconds
	Output      string    `json:",omitempty"`
	FailedBuild string    `json:",omitempty"`
}

// Test is what the stream said about one test.
type Test struct {
	Name    string
	Action  string        // "pass", "fail", "skip", or "" if the test never ended (a hang or a crash)
	Elapsed time.Duration // as reported by the test's pass or fail event
	Output  string        // everything the test printed, in order
}

// Package is what the stream said about one package.
type Package struct {
	Path        string
	Action      string // "pass", "fail", "skip", or "" if the stream ended early
	Elapsed     time.Duration
	Output      string // package-level output: lines not attributed to a test, such as a panic
	BuildOutput string // compiler errors for the package or its test binary
	BuildFailed bool
	Tests       map[string]*Test
	order       []string
}

// TestsInOrder returns the package's tests in the order they started.
func (p *Package) TestsInOrder() []*Test {
	out := make([]*Test, 0, len(p.order))
	for _, name := range p.order {
		out = append(out, p.Tests[name])
	}
	return out
}

// Failed returns the tests that failed or never ended, in start order.
func (p *Package) Failed() []*Test {
	var out []*Test
	for _, t := range p.TestsInOrder() {
		if t.Action == "fail" || t.Action == "" {
			out = append(out, t)
		}
	}
	return out
}

// AllOutput is the package's output and every test's output, in start order.
func (p *Package) AllOutput() string {
	var b strings.Builder
	b.WriteString(p.BuildOutput)
	for _, t := range p.TestsInOrder() {
		b.WriteString(t.Output)
	}
	b.WriteString(p.Output)
	return b.String()
}

// Report is a whole stream, gathered by package.
type Report struct {
	Packages map[string]*Package
	// Other is output that came with no package, for example from the go
	// command itself.
	Other string
}

// Package returns the report for path, creating it if needed.
func (r *Report) Package(path string) *Package {
	p, ok := r.Packages[path]
	if !ok {
		p = &Package{Path: path, Tests: map[string]*Test{}}
		r.Packages[path] = p
	}
	return p
}

// Paths returns the package paths in the report, sorted.
func (r *Report) Paths() []string {
	paths := make([]string, 0, len(r.Packages))
	for p := range r.Packages {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// Read gathers a whole stream. Lines that are not JSON events (a go command
// that failed before it started test2json, say) go to Report.Other; a
// stream cut short is not an error, it leaves actions empty.
func Read(r io.Reader) (*Report, error) {
	rep := &Report{Packages: map[string]*Package{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e Event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			rep.Other += string(line) + "\n"
			continue
		}
		rep.Add(e)
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("reading go test -json output: %w", err)
	}
	return rep, nil
}

// Add folds one event into the report.
func (r *Report) Add(e Event) {
	switch e.Action {
	case "build-output":
		r.Package(buildPackage(e.ImportPath)).BuildOutput += e.Output
		return
	case "build-fail":
		r.Package(buildPackage(e.ImportPath)).BuildFailed = true
		return
	}
	if e.Package == "" {
		r.Other += e.Output
		return
	}
	p := r.Package(e.Package)
	if e.FailedBuild != "" {
		p.BuildFailed = true
	}
	if e.Test == "" {
		switch e.Action {
		case "output":
			p.Output += e.Output
		case "pass", "fail", "skip":
			p.Action = e.Action
			p.Elapsed = seconds(e.Elapsed)
		}
		return
	}
	t, ok := p.Tests[e.Test]
	if !ok {
		t = &Test{Name: e.Test}
		p.Tests[e.Test] = t
		p.order = append(p.order, e.Test)
	}
	switch e.Action {
	case "output":
		t.Output += e.Output
	case "pass", "fail", "skip":
		t.Action = e.Action
		t.Elapsed = seconds(e.Elapsed)
	}
}

// buildPackage turns a build event's import path, which names the test
// variant ("example.com/p [example.com/p.test]"), into the package path.
func buildPackage(importPath string) string {
	path, _, _ := strings.Cut(importPath, " ")
	return path
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// AllText is every output the report holds, of every package and test.
func (r *Report) AllText() string {
	var b strings.Builder
	for _, path := range r.Paths() {
		b.WriteString(r.Packages[path].AllOutput())
	}
	b.WriteString(r.Other)
	return b.String()
}
