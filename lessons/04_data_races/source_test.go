package dataraces

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// Some mistakes of this lesson show only when goroutines really run in
// parallel at the instant that matters, and no test can choose that instant
// from outside: a Store of a loaded value (two atomic steps), a map written
// under a read lock, a method that copies the Counter. -race reports the
// last two; without it, and for the first, the tests read the lesson's files
// instead, as go vet would.

// A method is one method declaration in the lesson's non-test files.
type method struct {
	file string // "counter.go"
	typ  string // the receiver's type, without a star: "Counter"
	ptr  bool   // the receiver is a pointer
	recv string // the receiver's name, "" if it has none
	decl *ast.FuncDecl
	fset *token.FileSet
}

func (m method) at(pos token.Pos) string {
	return fmt.Sprintf("%s:%d", m.file, m.fset.Position(pos).Line)
}

// methods parses the non-test Go files in dir and returns their methods.
func methods(t *testing.T, dir string) []method {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []method
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("cannot read %s: %v", name, err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 || fn.Body == nil {
				continue
			}
			m := method{file: filepath.Base(name), decl: fn, fset: fset}
			typ := fn.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				m.ptr, typ = true, star.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				m.typ = id.Name
			}
			if len(fn.Recv.List[0].Names) == 1 {
				m.recv = fn.Recv.List[0].Names[0].Name
			}
			out = append(out, m)
		}
	}
	return out
}

// Task 2: Value reads the Counter itself, not a copy of it.
func TestCounter_MethodsDoNotCopy(t *testing.T) {
	katatest.Watchdog(t, 2)
	for _, m := range methods(t, ".") {
		if m.ptr || (m.typ != "Counter" && m.typ != "Stats" && m.typ != "Flags") {
			continue
		}
		t.Error(katatest.Failure{
			Want: fmt.Sprintf("every method of %s has a pointer receiver, (c *%s)", m.typ, m.typ),
			Got:  fmt.Sprintf("%s: func (%s %s) %s, a value receiver", m.at(m.decl.Pos()), m.recv, m.typ, m.decl.Name.Name),
			Means: fmt.Sprintf("%s copied on every call: a value receiver copies the whole %s, its count or its lock included, "+
				"with a plain read that races with every writer, and then works on the copy (a copied mutex protects nothing). "+
				"go vet's copylocks check reports it too. Use a pointer receiver", m.typ, m.typ),
			Hint: 2,
		})
	}
}

// Task 1: Inc adds in one step.
func TestCounter_IncIsOneStep(t *testing.T) {
	katatest.Watchdog(t, 1)
	for _, m := range methods(t, ".") {
		if m.typ != "Counter" || m.decl.Name.Name != "Inc" {
			continue
		}
		ast.Inspect(m.decl.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !strings.HasPrefix(sel.Sel.Name, "Store") && !strings.HasPrefix(sel.Sel.Name, "Swap") {
				return true
			}
			t.Error(katatest.Failure{
				Want: "Inc adds one in one indivisible step: Add(1)",
				Got:  fmt.Sprintf("%s: Inc calls %s", m.at(call.Pos()), sel.Sel.Name),
				Means: "views lost: Inc stores a value it loaded before, a read-modify-write in two atomic steps " +
					"(Store(Load() + 1)). Each step is atomic, so -race says nothing, but two Incs that load the same " +
					"count both store count+1, and one view is gone. Use Add(1), which loads, adds and stores in one step",
				Hint: 1,
			})
			return true
		})
	}
}

// Task 3: Record writes the map under the write lock.
func TestStats_RecordTakesTheWriteLock(t *testing.T) { checkWriteLock(t, "Stats", 3) }

// Task 5: Set writes the map under the write lock.
func TestFlags_SetTakesTheWriteLock(t *testing.T) { checkWriteLock(t, "Flags", 5) }

// checkWriteLock fails t for every map write under RLock in a method of typ.
func checkWriteLock(t *testing.T, typ string, hint int) {
	katatest.Watchdog(t, hint)
	for _, m := range methods(t, ".") {
		if m.typ != typ || m.recv == "" {
			continue
		}
		for _, w := range mapWritesUnderRLock(m) {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("%s writes its map only while it holds the write lock (Lock)", typ),
				Got:  fmt.Sprintf("%s: %s.%s writes a map of the %s while the last lock it took is RLock", m.at(w), typ, m.decl.Name.Name, typ),
				Means: "data race on the map: a write under RLock. RLock lets any number of goroutines in at once, so two " +
					"of them write the map together: views are lost, and the runtime may stop the program with " +
					"\"concurrent map writes\". Take Lock to write",
				Hint: hint,
			})
		}
	}
}

// mapWritesUnderRLock returns the places in m where an element of a field
// of the receiver is written (recv.f[k] = v, recv.f[k]++, delete) while the
// lock call before it in the source, defers aside, is an RLock.
func mapWritesUnderRLock(m method) []token.Pos {
	var last string // the last Lock, RLock, Unlock or RUnlock before the node
	var out []token.Pos
	isWrite := func(x ast.Expr) bool {
		ix, ok := x.(*ast.IndexExpr)
		if !ok {
			return false
		}
		sel, ok := ix.X.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && id.Name == m.recv
	}
	ast.Inspect(m.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "Lock", "RLock", "Unlock", "RUnlock":
					last = sel.Sel.Name
				}
			}
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "delete" && len(n.Args) == 2 && last == "RLock" {
				if sel, ok := n.Args[0].(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == m.recv {
						out = append(out, n.Pos())
					}
				}
			}
		case *ast.IncDecStmt:
			if last == "RLock" && isWrite(n.X) {
				out = append(out, n.Pos())
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if last == "RLock" && isWrite(lhs) {
					out = append(out, n.Pos())
				}
			}
		}
		return true
	})
	return out
}

// recursiveRLocks lists the places where a method of Flags calls another
// method of its receiver that takes RLock (itself or through further
// calls) while it holds RLock: after an RLock call, with no RUnlock
// between them other than a deferred one.
func recursiveRLocks(t *testing.T, dir string) []string {
	byName := map[string]method{}
	for _, m := range methods(t, dir) {
		if m.typ == "Flags" && m.recv != "" {
			byName[m.decl.Name.Name] = m
		}
	}
	type event struct {
		pos  token.Pos
		lock string // "RLock", "RUnlock", or "" for a call of callee
		call string
	}
	events := map[string][]event{}
	for name, m := range byName {
		ast.Inspect(m.decl.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit, *ast.DeferStmt:
				return false
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if sel.Sel.Name == "RLock" || sel.Sel.Name == "RUnlock" {
					events[name] = append(events[name], event{pos: n.Pos(), lock: sel.Sel.Name})
				} else if id, ok := sel.X.(*ast.Ident); ok && id.Name == m.recv {
					if _, ok := byName[sel.Sel.Name]; ok {
						events[name] = append(events[name], event{pos: n.Pos(), call: sel.Sel.Name})
					}
				}
			}
			return true
		})
	}
	// readLocks reports whether calling name takes RLock.
	var readLocks func(name string, seen map[string]bool) bool
	readLocks = func(name string, seen map[string]bool) bool {
		if seen[name] {
			return false
		}
		seen[name] = true
		for _, e := range events[name] {
			if e.lock == "RLock" || e.call != "" && readLocks(e.call, seen) {
				return true
			}
		}
		return false
	}
	var places []string
	for name, evs := range events {
		slices.SortFunc(evs, func(a, b event) int { return int(a.pos - b.pos) })
		held := false
		for _, e := range evs {
			switch {
			case e.lock == "RLock":
				held = true
			case e.lock == "RUnlock":
				held = false
			case held && readLocks(e.call, map[string]bool{}):
				m := byName[name]
				places = append(places, fmt.Sprintf("%s: Flags.%s calls %s while it holds RLock", m.at(e.pos), name, e.call))
			}
		}
	}
	slices.Sort(places)
	return places
}
