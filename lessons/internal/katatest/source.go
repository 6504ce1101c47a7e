package katatest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// AddInsideGo lists the places in the non-test Go files of dir where a
// sync.WaitGroup's Add (or Go) is called inside the goroutine it counts: the
// goroutine counts itself only once it runs, so Wait can see a zero counter
// and return before the goroutine has started. No interleaving can be forced
// to show this from outside, because the Add runs before any code the test
// controls; the check reads the source instead, as go vet's waitgroup
// analyzer does. Each place is "file:line".
//
// A goroutine is what a go statement starts, in every form a learner writes:
// a function literal (go func() {...}()), a function or method declared in
// the package (go run(&wg, i), go w.run(i)), or a variable holding a literal
// (f := func() {...}; go f()). Inside it, calls of the package's own
// functions and methods are followed, so an Add one call further down is
// seen too. Only calls on a sync.WaitGroup count: the receiver's type is
// read from its declaration (a variable, a parameter, a struct field, a type
// that is or embeds sync.WaitGroup, a method value such as add := wg.Add),
// so an atomic counter's Add(1) is not a WaitGroup's. A WaitGroup declared
// inside the goroutine counts work of its own, and is not reported.
func AddInsideGo(dir string) ([]string, error) {
	pkg, err := parsePackage(dir)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var places []string
	for _, pf := range pkg.files {
		ast.Inspect(pf.file, func(n ast.Node) bool {
			stmt, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			for _, body := range pkg.goroutineBodies(pf, stmt.Call.Fun) {
				pkg.addsIn(body, body, map[ast.Node]bool{}, func(call *ast.CallExpr, in *sourceFile) {
					pos := pkg.fset.Position(call.Pos())
					place := fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)
					if !seen[place] {
						seen[place] = true
						places = append(places, place)
					}
				})
			}
			return true
		})
	}
	slices.Sort(places)
	return places, nil
}

// A sourcePackage is the parsed non-test files of one directory.
type sourcePackage struct {
	fset    *token.FileSet
	files   []*sourceFile
	funcs   map[string][]funcIn // functions and methods by name
	types   map[string]ast.Expr // declared types by name
	vars    map[string]ast.Expr // package-level variables by name: their type, or their value
	wgField map[string]bool     // names of struct fields whose type is a WaitGroup
}

type sourceFile struct {
	file     *ast.File
	syncName string // the name under which the file imports "sync", or ""
}

// funcIn is a function or method declaration with the file that holds it.
type funcIn struct {
	decl *ast.FuncDecl
	in   *sourceFile
}

// A goroutineBody is the code a go statement runs, with its file.
type goroutineBody struct {
	node ast.Node // *ast.FuncLit or *ast.FuncDecl
	in   *sourceFile
}

func parsePackage(dir string) (*sourcePackage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	pkg := &sourcePackage{
		fset:    token.NewFileSet(),
		funcs:   map[string][]funcIn{},
		types:   map[string]ast.Expr{},
		vars:    map[string]ast.Expr{},
		wgField: map[string]bool{},
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(pkg.fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		sf := &sourceFile{file: file}
		for _, imp := range file.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "sync" {
				sf.syncName = "sync"
				if imp.Name != nil {
					sf.syncName = imp.Name.Name
				}
			}
		}
		pkg.files = append(pkg.files, sf)
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					pkg.funcs[d.Name.Name] = append(pkg.funcs[d.Name.Name], funcIn{d, sf})
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						pkg.types[s.Name.Name] = s.Type
					case *ast.ValueSpec:
						for i, id := range s.Names {
							switch {
							case s.Type != nil:
								pkg.vars[id.Name] = s.Type
							case i < len(s.Values):
								pkg.vars[id.Name] = s.Values[i]
							}
						}
					}
				}
			}
		}
	}
	// Struct fields of a WaitGroup type, in any struct of the package.
	for _, sf := range pkg.files {
		ast.Inspect(sf.file, func(n ast.Node) bool {
			if st, ok := n.(*ast.StructType); ok {
				for _, f := range st.Fields.List {
					if pkg.isWaitGroupType(f.Type, sf, 0) {
						for _, id := range f.Names {
							pkg.wgField[id.Name] = true
						}
						if len(f.Names) == 0 { // embedded: s.WaitGroup
							pkg.wgField["WaitGroup"] = true
						}
					}
				}
			}
			return true
		})
	}
	return pkg, nil
}

// goroutineBodies returns the code that go fun(...) runs: a literal, the
// package's functions or methods of that name, or the literal a local
// variable was given.
func (p *sourcePackage) goroutineBodies(sf *sourceFile, fun ast.Expr) []goroutineBody {
	switch f := ast.Unparen(fun).(type) {
	case *ast.FuncLit:
		return []goroutineBody{{f, sf}}
	case *ast.Ident:
		if lit := literalOf(f); lit != nil {
			return []goroutineBody{{lit, sf}}
		}
		return p.declared(f.Name, false)
	case *ast.SelectorExpr:
		return p.declared(f.Sel.Name, true)
	}
	return nil
}

// declared returns the package's functions (or, with method, methods) named name.
func (p *sourcePackage) declared(name string, method bool) []goroutineBody {
	var out []goroutineBody
	for _, fn := range p.funcs[name] {
		if (fn.decl.Recv != nil) == method {
			out = append(out, goroutineBody{fn.decl, fn.in})
		}
	}
	return out
}

// literalOf returns the function literal a local variable was declared with
// (f := func() {...}, var f = func() {...}), or nil.
func literalOf(id *ast.Ident) *ast.FuncLit {
	if v := declaredValue(id); v != nil {
		lit, _ := ast.Unparen(v).(*ast.FuncLit)
		return lit
	}
	return nil
}

// declaredValue returns the expression a local identifier was declared
// with: its value in x := v or var x = v, or nil.
func declaredValue(id *ast.Ident) ast.Expr {
	if id.Obj == nil {
		return nil
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.AssignStmt:
		if len(d.Lhs) == len(d.Rhs) {
			for i, lhs := range d.Lhs {
				if l, ok := lhs.(*ast.Ident); ok && l.Name == id.Name {
					return d.Rhs[i]
				}
			}
		}
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name == id.Name && i < len(d.Values) {
				return d.Values[i]
			}
		}
	}
	return nil
}

// addsIn calls found for every WaitGroup Add or Go call in the code of g,
// following calls of the package's functions and methods (each at most once
// per goroutine). Receivers declared inside the goroutine's own code are left
// out: such a WaitGroup counts the goroutine's own work. Nested go
// statements are left out too: they start goroutines of their own, which
// AddInsideGo looks at separately.
func (p *sourcePackage) addsIn(root, g goroutineBody, visited map[ast.Node]bool, found func(*ast.CallExpr, *sourceFile)) {
	if visited[g.node] {
		return
	}
	visited[g.node] = true
	var body ast.Node
	switch n := g.node.(type) {
	case *ast.FuncLit:
		body = n.Body
	case *ast.FuncDecl:
		body = n.Body
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if p.isWaitGroupCount(n, g.in) && !declaredInside(n.Fun, root.node, g.node) {
				found(n, g.in)
			}
			switch f := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				if literalOf(f) == nil {
					for _, callee := range p.declared(f.Name, false) {
						p.addsIn(root, callee, visited, found)
					}
				}
			case *ast.SelectorExpr:
				if id, ok := f.X.(*ast.Ident); !ok || id.Name != g.in.syncName {
					for _, callee := range p.declared(f.Sel.Name, true) {
						p.addsIn(root, callee, visited, found)
					}
				}
			}
		}
		return true
	})
}

// isWaitGroupCount reports whether call is x.Add(n) or x.Go(f) on a
// sync.WaitGroup x, or a call of a method value add := x.Add.
func (p *sourcePackage) isWaitGroupCount(call *ast.CallExpr, sf *sourceFile) bool {
	if len(call.Args) != 1 {
		return false
	}
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		return (f.Sel.Name == "Add" || f.Sel.Name == "Go") && p.isWaitGroup(f.X, sf, 0)
	case *ast.Ident:
		if v, ok := ast.Unparen(declaredValueOrNil(f)).(*ast.SelectorExpr); ok {
			return (v.Sel.Name == "Add" || v.Sel.Name == "Go") && p.isWaitGroup(v.X, sf, 0)
		}
	}
	return false
}

func declaredValueOrNil(id *ast.Ident) ast.Expr {
	if v := declaredValue(id); v != nil {
		return v
	}
	return &ast.BadExpr{}
}

// isWaitGroup reports whether the value x is a sync.WaitGroup or a pointer
// to one, as far as the declarations of the package say.
func (p *sourcePackage) isWaitGroup(x ast.Expr, sf *sourceFile, depth int) bool {
	if depth > 10 {
		return false
	}
	switch e := x.(type) {
	case *ast.ParenExpr:
		return p.isWaitGroup(e.X, sf, depth+1)
	case *ast.StarExpr:
		return p.isWaitGroup(e.X, sf, depth+1)
	case *ast.UnaryExpr:
		return e.Op == token.AND && p.isWaitGroup(e.X, sf, depth+1)
	case *ast.CompositeLit:
		return p.isWaitGroupType(e.Type, sf, depth+1)
	case *ast.CallExpr: // new(sync.WaitGroup)
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "new" && len(e.Args) == 1 {
			return p.isWaitGroupType(e.Args[0], sf, depth+1)
		}
	case *ast.SelectorExpr: // s.wg
		return p.wgField[e.Sel.Name]
	case *ast.Ident:
		if e.Obj != nil {
			switch d := e.Obj.Decl.(type) {
			case *ast.Field:
				return p.isWaitGroupType(d.Type, sf, depth+1)
			case *ast.ValueSpec:
				if d.Type != nil {
					return p.isWaitGroupType(d.Type, sf, depth+1)
				}
			}
			if v := declaredValue(e); v != nil {
				return p.isWaitGroup(v, sf, depth+1)
			}
			return false
		}
		if t, ok := p.vars[e.Name]; ok { // a package-level variable of another file
			return p.isWaitGroupType(t, sf, depth+1) || p.isWaitGroup(t, sf, depth+1)
		}
	}
	return false
}

// isWaitGroupType reports whether the type expression t is sync.WaitGroup,
// a pointer to it, or a type of the package that is or embeds it.
func (p *sourcePackage) isWaitGroupType(t ast.Expr, sf *sourceFile, depth int) bool {
	if depth > 10 || t == nil {
		return false
	}
	switch e := t.(type) {
	case *ast.ParenExpr:
		return p.isWaitGroupType(e.X, sf, depth+1)
	case *ast.StarExpr:
		return p.isWaitGroupType(e.X, sf, depth+1)
	case *ast.SelectorExpr:
		id, ok := e.X.(*ast.Ident)
		return ok && sf.syncName != "" && id.Name == sf.syncName && e.Sel.Name == "WaitGroup"
	case *ast.Ident:
		if def, ok := p.types[e.Name]; ok {
			return p.isWaitGroupType(def, sf, depth+1)
		}
	case *ast.StructType:
		for _, f := range e.Fields.List {
			if len(f.Names) == 0 && p.isWaitGroupType(f.Type, sf, depth+1) {
				return true // embedded: its Add is promoted
			}
		}
	}
	return false
}

// declaredInside reports whether the variable at the root of the call's
// receiver (wg in wg.Add, s in s.wg.Add, add in add(1)) is declared inside
// the body of the goroutine's own code (root) or of the function g the call
// is in, other than as one of g's parameters: then the goroutine counts work
// of its own rather than itself.
func declaredInside(fun ast.Expr, root, g ast.Node) bool {
	x := fun
	if sel, ok := ast.Unparen(fun).(*ast.SelectorExpr); ok {
		x = sel.X
	}
	for {
		switch e := x.(type) {
		case *ast.SelectorExpr:
			x = e.X
		case *ast.ParenExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		case *ast.UnaryExpr:
			x = e.X
		case *ast.Ident:
			if e.Obj == nil {
				return false
			}
			d, ok := e.Obj.Decl.(ast.Node)
			if !ok {
				return false
			}
			if _, param := d.(*ast.Field); param {
				// A parameter of a literal is declared by the goroutine's
				// caller; of a declared function, likewise.
				return false
			}
			for _, n := range []ast.Node{root, g} {
				if b := bodyOf(n); b != nil && d.Pos() >= b.Pos() && d.End() <= b.End() {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
}

func bodyOf(n ast.Node) *ast.BlockStmt {
	switch n := n.(type) {
	case *ast.FuncLit:
		return n.Body
	case *ast.FuncDecl:
		return n.Body
	}
	return nil
}
