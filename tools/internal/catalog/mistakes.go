package catalog

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A Mistake is a known wrong solution: a full replacement for one starter
// file that the lesson's tests must reject, with words its failure must print.
type Mistake struct {
	Name     string   // file name without ".go": "add_inside"
	Path     string   // the file on disk
	Summary  string   // the text after "// Mistake:"
	Replaces string   // the starter file it replaces
	Expect   []string // texts that the failing output must contain
	// CompileError marks a mistake that the type system rejects ("//
	// Compiles: no"): it must fail to build, with its Expect texts in the
	// compiler's output. Any other mistake must compile, or it proves nothing.
	CompileError bool
}

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
	}
	return m, nil
}
