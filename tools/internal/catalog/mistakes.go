package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// A Mistake is a known wrong solution that the lesson's tests must
// reject, with words its failure must print: one file to edit as the
// solution has it, but with the declarations the mistake file holds in
// place of the solution's (see Splice).
type Mistake struct {
	Name     string   // file name without ".go": "add_inside"
	Path     string   // the file on disk
	Summary  string   // the text after "// Mistake:"
	Replaces string   // the file to edit it replaces
	Removes  []string // the solution's declarations it does without: "Shop.recordView"
	Expect   []string // texts that the failing output must contain
	// Kind is the kind of failure the course tool must diagnose ("// Kind:
	// data race"), one of MistakeKinds.
	Kind string
	// CompileError marks a mistake that the type system rejects ("//
	// Compiles: no"): it must fail to build, with its Expect texts in the
	// compiler's output. Any other mistake must compile, or it proves nothing.
	CompileError bool
}

// MistakeKinds are the words a "// Kind:" line may hold: the kinds of
// failure as the course tool names them (diagnose.Kind.String).
var MistakeKinds = []string{"test failed", "data race", "deadlock or hang", "goroutine leak", "panic", "does not compile"}

// Mistakes reads the lesson's known mistakes from
// solutions/NN_slug/testdata/mistakes, sorted by name.
func (l *Lesson) Mistakes() ([]Mistake, error) {
	dir := filepath.Join(l.SolutionPath(), filepath.FromSlash(MistakesDir))
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Mistake
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		m, err := ParseMistake(string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		m.Name = strings.TrimSuffix(e.Name(), ".go")
		m.Path = path
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ParseMistake reads the header comment of a mistake file:
//
//	// Mistake: what is wrong, in one line.
//	// ...
//	// Replaces: goroutines.go
//	// Removes: recordView, Shop.cached   (optional)
//	// Kind: data race   (one of MistakeKinds)
//	// Expect: words the failure prints
//	// Compiles: no      (only for a mistake the compiler rejects)
func ParseMistake(src string) (Mistake, error) {
	var m Mistake
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(line, "//") {
			if strings.HasPrefix(line, "package ") {
				break
			}
			continue
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "//"))
		switch {
		case strings.HasPrefix(text, "Mistake:"):
			m.Summary = strings.TrimSpace(strings.TrimPrefix(text, "Mistake:"))
		case strings.HasPrefix(text, "Replaces:"):
			m.Replaces = strings.TrimSpace(strings.TrimPrefix(text, "Replaces:"))
		case strings.HasPrefix(text, "Removes:"):
			for _, r := range strings.Split(strings.TrimPrefix(text, "Removes:"), ",") {
				if r = strings.TrimSpace(r); r != "" {
					m.Removes = append(m.Removes, r)
				}
			}
		case strings.HasPrefix(text, "Kind:"):
			m.Kind = strings.TrimSpace(strings.TrimPrefix(text, "Kind:"))
			if !slices.Contains(MistakeKinds, m.Kind) {
				return m, fmt.Errorf(`"// Kind: %s" is not a kind; write one of: %s`, m.Kind, strings.Join(MistakeKinds, ", "))
			}
		case strings.HasPrefix(text, "Compiles:"):
			switch v := strings.TrimSpace(strings.TrimPrefix(text, "Compiles:")); v {
			case "no":
				m.CompileError = true
			case "yes":
			default:
				return m, fmt.Errorf(`"// Compiles:" takes yes or no, not %q`, v)
			}
		case strings.HasPrefix(text, "Expect:"):
			if e := strings.TrimSpace(strings.TrimPrefix(text, "Expect:")); e != "" {
				m.Expect = append(m.Expect, e)
			}
		}
	}
	switch {
	case m.Summary == "":
		return m, fmt.Errorf(`no "// Mistake:" line before the package clause`)
	case m.Replaces == "":
		return m, fmt.Errorf(`no "// Replaces:" line naming the starter file it replaces`)
	case len(m.Expect) == 0:
		return m, fmt.Errorf(`no "// Expect:" line naming the words its failure prints`)
	case m.Kind == "":
		return m, fmt.Errorf(`no "// Kind:" line naming the kind of failure (one of: %s)`, strings.Join(MistakeKinds, ", "))
	case m.CompileError != (m.Kind == "does not compile"):
		return m, fmt.Errorf(`"// Compiles: no" goes with "// Kind: does not compile", and only with it`)
	}
	return m, nil
}
