// Package mutate derives wrong solutions mechanically from a lesson's
// reference solution, with concurrency mutation operators (a lock removed,
// a critical section split, a WaitGroup.Add moved into the goroutine, a
// select case dropped...), runs the lesson's tests on each, and records
// which mutants the tests kill. A mutant the tests let pass is either a hole
// in the tests or a change that cannot be seen (an equivalent mutant), which
// a maintainer records with a reason in the lesson's testdata/mutation.json.
//
// The operators follow the ConMAn set for concurrent Java (Bradbury, Cordy
// and Dingel, "Mutation operators for concurrent Java (J2SE 5.0)", 2006)
// translated to Go, with Go's own mechanisms added (channels, select,
// contexts, WaitGroup, Once).
//
// Each mutant is one change at one place, found with go/ast and type
// information and applied to the source text, so the rest of the file is
// byte for byte the solution's; the result is gofmt'ed.
package mutate

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Version names the operator set. It is part of a record's hash, so a change
// to the operators (which changes the mutants) makes every record stale.
// Bump it whenever an operator is added, removed or changed.
const Version = "mutate/1"

// A Mutant is one wrong solution: one solution file with one change.
type Mutant struct {
	// ID names the mutant stably: operator, file, enclosing function and the
	// occurrence of this operator within that function, such as
	// "remove-lock:locked.go:(*LockedCounter).Increment#0". Edits elsewhere
	// in the file do not change it.
	ID       string `json:"id"`
	Operator string `json:"operator"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Func     string `json:"func"`
	Desc     string `json:"desc"` // one line: what was changed
	Source   []byte `json:"-"`    // the whole mutated file
}

// Generate derives every mutant of the named files of one package. files
// holds all the package's non-test files (the ones to mutate and any others
// it needs for type information), by file name.
func Generate(files map[string][]byte, names []string) ([]Mutant, error) {
	fset := token.NewFileSet()
	parsed := map[string]*ast.File{}
	var all []*ast.File
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		f, err := parser.ParseFile(fset, name, files[name], parser.ParseComments)
		if err != nil {
			return nil, err
		}
		parsed[name] = f
		all = append(all, f)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), Error: func(error) {}}
	pkg, _ := conf.Check("lesson", fset, all, info) // errors tolerated: type information is a help, not a need

	var out []Mutant
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for _, name := range sorted {
		f := parsed[name]
		if f == nil {
			return nil, fmt.Errorf("no file %s to mutate", name)
		}
		g := &gen{fset: fset, file: f, name: name, src: files[name], info: info, pkg: pkg, seen: map[string]int{}}
		g.walk()
		out = append(out, g.mutants...)
	}
	return out, nil
}

// An edit replaces the source bytes [start, end) with text.
type edit struct {
	start, end int
	text       string
}

// gen generates the mutants of one file.
type gen struct {
	fset    *token.FileSet
	file    *ast.File
	name    string
	src     []byte
	info    *types.Info
	pkg     *types.Package
	fn      string // the enclosing top-level declaration
	seen    map[string]int
	mutants []Mutant
}

func (g *gen) off(p token.Pos) int { return g.fset.Position(p).Offset }

// text is the source text of n.
func (g *gen) text(n ast.Node) string { return string(g.src[g.off(n.Pos()):g.off(n.End())]) }

func (g *gen) line(n ast.Node) int { return g.fset.Position(n.Pos()).Line }

// add records a mutant at n made of edits. The mutated source must parse
// and format; if it does not, the operator has a bug and the mutant is
// dropped rather than counted as a mutant that does not compile.
func (g *gen) add(op string, n ast.Node, desc string, edits ...edit) {
	key := op + ":" + g.fn
	idx := g.seen[key]
	g.seen[key]++
	src, err := apply(g.src, edits)
	if err != nil {
		return
	}
	g.mutants = append(g.mutants, Mutant{
		ID:       fmt.Sprintf("%s:%s:%s#%d", op, g.name, g.fn, idx),
		Operator: op,
		File:     g.name,
		Line:     g.line(n),
		Func:     g.fn,
		Desc:     desc,
		Source:   src,
	})
}

// apply makes the edits (which must not overlap), drops imports the change
// left unused, and formats the result.
func apply(src []byte, edits []edit) ([]byte, error) {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), src...)
	last := len(out) + 1
	for _, e := range edits {
		if e.end > last {
			return nil, fmt.Errorf("overlapping edits")
		}
		last = e.start
		out = append(out[:e.start:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	out, err := dropUnusedImports(out)
	if err != nil {
		return nil, err
	}
	return format.Source(out)
}

// dropUnusedImports removes the imports that no selector in src refers to,
// so that a mutant which removed the last use of a package still compiles.
func dropUnusedImports(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	type span struct{ start, end int }
	var drop []span
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			imp := s.(*ast.ImportSpec)
			p, _ := strconv.Unquote(imp.Path.Value)
			name := importName(p)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name == "_" || name == "." || used[name] {
				continue
			}
			var n ast.Node = imp
			if !gd.Lparen.IsValid() {
				n = gd // import "x": the whole declaration goes
			}
			end := fset.Position(n.End()).Offset
			if imp.Comment != nil && !gd.Lparen.IsValid() {
				end = max(end, fset.Position(imp.Comment.End()).Offset)
			} else if imp.Comment != nil {
				end = fset.Position(imp.Comment.End()).Offset
			}
			drop = append(drop, span{fset.Position(n.Pos()).Offset, end})
		}
	}
	for i := len(drop) - 1; i >= 0; i-- {
		d := drop[i]
		src = append(src[:d.start:d.start], src[d.end:]...)
	}
	return src, nil
}

// importName guesses the package name of an import path: its last element,
// or the one before a major version suffix.
func importName(p string) string {
	base := path.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" {
		base = path.Base(path.Dir(p))
	}
	return strings.TrimPrefix(strings.ReplaceAll(base, "-", "_"), "go_")
}

// walk visits every top-level declaration with a body and applies every
// operator to it.
func (g *gen) walk() {
	for _, d := range g.file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		g.fn = funcName(fd)
		for _, op := range operators {
			op.apply(g, fd.Body)
		}
	}
}

// funcName is "F", "T.M" or "(*T).M".
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if ix, ok := t.(*ast.IndexListExpr); ok {
		t = ix.X
	}
	name := "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	if star {
		return "(*" + name + ")." + fd.Name.Name
	}
	return name + "." + fd.Name.Name
}
