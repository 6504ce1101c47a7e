package once

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// Task 1: a check before the lock is repeated under it.
//
// A Get that checks under RLock (or with an atomic load), lets go, takes
// Lock and dials without checking again dials once for every caller that
// passed the first check before the first dial began. The window between
// RUnlock and Lock holds no call into the test's code, so no Dialer can
// force callers into it; the test reads the code on disk instead.
func TestGet_ChecksAgainUnderTheLock(t *testing.T) {
	katatest.Watchdog(t, 1)
	found, err := dialsWithoutRecheck(".")
	if err != nil {
		t.Fatalf("read the lesson's files: %v", err)
	}
	if len(found) > 0 {
		t.Error(katatest.Failure{
			Want: "a Get that checks before taking the lock checks again after taking it, before it dials",
			Got:  strings.Join(found, "; "),
			Means: noRecheck + ". Two first callers that both pass the first check dial twice; the tests cannot " +
				"line them up there, which is why this one reads the code",
			Hint: 1,
		})
	}
}

// dialsWithoutRecheck reads the Go files of dir (not the tests) and returns
// one finding for each place where a function checks something, takes a
// lock (Lock, not RLock), and then dials before any if, switch or for: a
// check before the lock that is not repeated under it. A dial is a call of
// a Dialer-typed field or variable, or of a method of the same file that
// dials first; a dial inside a Once's Do is guarded by the Once.
func dialsWithoutRecheck(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	s := &scan{dialers: map[string]bool{"dial": true}, methods: map[string]*ast.FuncDecl{}}
	for _, f := range parsed {
		s.collect(f)
	}
	var found []string
	for _, f := range parsed {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			for _, lock := range s.unrecheckedLocks(fn) {
				p := fset.Position(lock)
				found = append(found, fmt.Sprintf("%s:%d: %s checks first, takes the lock here, and dials without checking again",
					filepath.Base(p.Filename), p.Line, fn.Name.Name))
			}
		}
	}
	return found, nil
}

// scan is what dialsWithoutRecheck knows about the package.
type scan struct {
	dialers map[string]bool          // names of Dialer-typed fields, variables and parameters
	methods map[string]*ast.FuncDecl // functions and methods by name
}

// collect records the Dialer-typed names and the functions of f.
func (s *scan) collect(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if isDialerType(n.Type) {
				for _, name := range n.Names {
					s.dialers[name.Name] = true
				}
			}
		case *ast.ValueSpec:
			if n.Type != nil && isDialerType(n.Type) {
				for _, name := range n.Names {
					s.dialers[name.Name] = true
				}
			}
		case *ast.FuncDecl:
			s.methods[n.Name.Name] = n
		}
		return true
	})
}

// isDialerType reports whether x is Dialer or func() (*Conn, error).
func isDialerType(x ast.Expr) bool {
	if id, ok := x.(*ast.Ident); ok {
		return id.Name == "Dialer"
	}
	ft, ok := x.(*ast.FuncType)
	if !ok || ft.Params.NumFields() != 0 || ft.Results.NumFields() != 2 {
		return false
	}
	star, ok := ft.Results.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Conn"
}

// unrecheckedLocks returns the Lock calls of fn that come after a check
// (an if, switch or for that reads the receiver or something read from it)
// and are followed, in their block, by a dial before any if, switch or for.
func (s *scan) unrecheckedLocks(fn *ast.FuncDecl) []token.Pos {
	recv := ""
	if fn.Recv != nil && len(fn.Recv.List) == 1 && len(fn.Recv.List[0].Names) == 1 {
		recv = fn.Recv.List[0].Names[0].Name
	}
	// Names whose value comes from the receiver: c.conn, done := c.done, ...
	derived := map[string]bool{}
	if recv != "" {
		derived[recv] = true
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, r := range as.Rhs {
				if mentions(r, derived) {
					for _, l := range as.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							derived[id.Name] = true
						}
					}
				}
			}
		}
		return true
	})
	var checks []token.Pos // where a check of the receiver's state begins
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt:
			if mentions(n.Init, derived) || mentions(n.Cond, derived) {
				checks = append(checks, n.Pos())
			}
		case *ast.SwitchStmt:
			if mentions(n.Init, derived) || mentions(n.Tag, derived) {
				checks = append(checks, n.Pos())
			}
		}
		return true
	})
	var out []token.Pos
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		block, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for i, st := range block.List {
			if !isLockCall(st) || !before(checks, st.Pos()) {
				continue
			}
			if s.dialsBeforeCheck(block.List[i+1:], 0) {
				out = append(out, st.Pos())
			}
		}
		return true
	})
	return out
}

// before reports whether some position in ps comes before p.
func before(ps []token.Pos, p token.Pos) bool {
	for _, q := range ps {
		if q < p {
			return true
		}
	}
	return false
}

// isLockCall reports whether st is x.Lock().
func isLockCall(st ast.Stmt) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Lock"
}

// dialsBeforeCheck reports whether stmts, run in order, reach a dial
// before any if, switch or for. Deferred calls run later and are skipped.
// A call of a method that itself dials before checking counts as a dial.
func (s *scan) dialsBeforeCheck(stmts []ast.Stmt, depth int) bool {
	for _, st := range stmts {
		switch st := st.(type) {
		case *ast.DeferStmt:
			continue
		case *ast.IfStmt:
			return s.dials(st.Init, depth) || s.dials(st.Cond, depth)
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SelectStmt:
			return false
		}
		if s.dials(st, depth) {
			return true
		}
	}
	return false
}

// dials reports whether n calls a dialer, outside a Once's Do.
func (s *scan) dials(n ast.Node, depth int) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		name := ""
		switch fun := call.Fun.(type) {
		case *ast.Ident:
			name = fun.Name
		case *ast.SelectorExpr:
			name = fun.Sel.Name
		}
		if name == "Do" {
			return false // once.Do(func() { ... dial ... }): the Once checks
		}
		if s.dialers[name] {
			found = true
			return false
		}
		if m := s.methods[name]; m != nil && m.Body != nil && depth < 3 && s.dialsBeforeCheck(m.Body.List, depth+1) {
			found = true
			return false
		}
		return true
	})
	return found
}

// mentions reports whether n uses one of names.
func mentions(n ast.Node, names map[string]bool) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}
