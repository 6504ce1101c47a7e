package katatest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// declaredIn reports whether the variable at the root of x (wg in wg.Add,
// s in s.wg.Add) is declared inside lit, in which case the goroutine counts
// work of its own rather than itself.
func declaredIn(x ast.Expr, lit *ast.FuncLit) bool {
	for {
		switch e := x.(type) {
		case *ast.SelectorExpr:
			x = e.X
		case *ast.ParenExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		case *ast.Ident:
			if e.Obj == nil {
				return false
			}
			if d, ok := e.Obj.Decl.(ast.Node); ok {
				return d.Pos() >= lit.Pos() && d.End() <= lit.End()
			}
			return false
		default:
			return false
		}
	}
}

// AddInsideGo lists the places in the non-test Go files of dir where
// sync.WaitGroup's Add is called inside the function literal of a go
// statement: the goroutine counts itself only once it runs, so Wait can see
// a zero counter and return before the goroutine has started. No
// interleaving can be forced to show this from outside, because the Add runs
// before any code the test controls; the check reads the source instead, as
// go vet's waitgroup analyzer does. Each place is "file:line".
func AddInsideGo(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var places []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			stmt, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			lit, ok := stmt.Call.Fun.(*ast.FuncLit)
			if !ok {
				return true
			}
			ast.Inspect(lit.Body, func(n ast.Node) bool {
				if _, nested := n.(*ast.FuncLit); nested {
					return false
				}
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Add" && len(call.Args) == 1 && !declaredIn(sel.X, lit) {
						pos := fset.Position(call.Pos())
						places = append(places, fmt.Sprintf("%s:%d", name, pos.Line))
					}
				}
				return true
			})
			return true
		})
	}
	return places, nil
}
