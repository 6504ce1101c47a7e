package lockpitfalls

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const reentrantClose = "deadlock: re-entrant locking. Close holds a.mu and calls a method (Balance, Withdraw, ...) " +
	"that locks a.mu again. A Go mutex does not know who holds it: the second Lock waits for the holder to " +
	"unlock, and the holder is the same goroutine, waiting for the second Lock. One goroutine deadlocks alone. " +
	"While you hold a.mu, read and write a.balance directly, or call a helper that expects the lock held."

// Task 2: Close pays out the balance, and the account takes nothing after.
func TestClose_PaysOutTheBalance(t *testing.T) {
	isolate(t, 3, reentrantClose, func(t *testing.T) {
		a := NewAccount(7, 250)
		payout, err := a.Close()
		assert.NoError(t, err)
		assert.Equal(t, int64(250), payout, katatest.Means("Close returns the balance it pays out", 3))
		assert.Equal(t, int64(0), a.Balance(), katatest.Means("a closed account has a balance of 0", 3))
		assert.ErrorIs(t, a.Deposit(10), ErrClosed, katatest.Means("a closed account takes no deposits", 3))

		payout, err = a.Close()
		assert.ErrorIs(t, err, ErrClosed, katatest.Means("an account is closed only once", 3))
		assert.Equal(t, int64(0), payout, katatest.Means("a second Close pays out nothing", 3))
	})
}

const closeNotAtomic = "Close is no longer atomic: it released a.mu between reading the balance and closing " +
	"the account (an Unlock around a call to Balance, say), and another goroutine used the gap. Unlocking " +
	"is not the cure for re-entrant locking: it turns a deadlock into lost money. Hold a.mu from the check " +
	"to the last write, and read a.balance directly."

// Task 2: nothing can happen to the account in the middle of Close.
//
// The hook runs right after any Balance call has read the balance and
// released the lock. A Close that reads the balance with Balance between an
// Unlock and a Lock therefore lets the hook act in its gap: a deposit (which
// Close then wipes out with the balance), or a second Close (which pays the
// same balance out again). The correct Close never calls Balance, so the
// hook never runs inside it.
func TestClose_OneCriticalSection(t *testing.T) {
	isolate(t, 3, reentrantClose, func(t *testing.T) {
		// A deposit lands in the gap.
		a := NewAccount(7, 250)
		var deposited int64
		fired := false
		afterBalance = func(acc *Account) {
			if acc != a || fired {
				return
			}
			fired = true
			done := make(chan error)
			go func() { done <- a.Deposit(40) }()
			if <-done == nil {
				deposited = 40
			}
		}
		payout, err := a.Close()
		afterBalance = nil
		assert.NoError(t, err)
		if left := a.Balance(); payout+left != 250+deposited {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Close pays out every cent: 250 opening + %d deposited = %d", deposited, 250+deposited),
				Got:   fmt.Sprintf("paid out %d, %d left in the closed account: %d cents lost", payout, left, 250+deposited-payout-left),
				Means: closeNotAtomic + " Here a Deposit of 40 landed in the gap and was wiped out.",
				Hint:  3,
			})
		}

		// A second Close lands in the gap.
		b := NewAccount(8, 250)
		fired = false
		var payout2 int64
		afterBalance = func(acc *Account) {
			if acc != b || fired {
				return
			}
			fired = true
			done := make(chan struct{})
			go func() {
				defer close(done)
				payout2, _ = b.Close()
			}()
			<-done
		}
		payout1, _ := b.Close()
		afterBalance = nil
		if payout1+payout2 != 250 {
			t.Error(katatest.Failure{
				Want:  "two Close calls at once on an account with 250 cents pay out 250 in all, once",
				Got:   fmt.Sprintf("they paid out %d and %d", payout1, payout2),
				Means: closeNotAtomic + " Here a second Close checked the account in the gap and paid the balance out again.",
				Hint:  3,
			})
		}
		if t.Failed() {
			return
		}

		// A gap that calls no hook: Close unlocks and locks again, and
		// reads or writes the fields under a second lock. The source shows it.
		locks, err := locksIn(".", "Close")
		if err != nil {
			t.Errorf("reading the lesson's source: %v", err)
			return
		}
		if len(locks) > 1 {
			t.Error(katatest.Failure{
				Want: "Close takes a.mu once, and holds it from the check to the last write",
				Got:  fmt.Sprintf("Close (with the functions it calls) takes a lock %d times: %s", len(locks), strings.Join(locks, ", ")),
				Means: "Close is not one critical section: it takes the lock more than once, so between an Unlock " +
					"and the next Lock a deposit, or a second Close, can run, and the money it brings is lost. No " +
					"test hook runs in that gap, so the test read the source. Unlocking is not the cure for " +
					"re-entrant locking: hold a.mu from the check to the last write, and read a.balance directly.",
				Hint: 3,
			})
		}
	})
}

// locksIn returns the places ("close.go:21") where the method of *Account
// named method, or a function or method of the package that it calls
// (directly or further down), calls Lock, RLock or TryLock on any lock. It
// reads the package's non-test Go files in dir, as they are on disk.
func locksIn(dir, method string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	funcs := map[string][]*ast.FuncDecl{} // by name: methods and functions alike
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
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				funcs[fd.Name.Name] = append(funcs[fd.Name.Name], fd)
			}
		}
	}
	var start *ast.FuncDecl
	for _, fd := range funcs[method] {
		if fd.Recv != nil && len(fd.Recv.List) == 1 && strings.Contains(types(fd.Recv.List[0].Type), "Account") {
			start = fd
		}
	}
	if start == nil {
		return nil, fmt.Errorf("no method %s of *Account in %s", method, dir)
	}
	var places []string
	seen := map[*ast.FuncDecl]bool{}
	var walk func(fd *ast.FuncDecl)
	walk = func(fd *ast.FuncDecl) {
		if seen[fd] {
			return
		}
		seen[fd] = true
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				switch name {
				case "Lock", "RLock", "TryLock", "TryRLock":
					pos := fset.Position(call.Pos())
					places = append(places, fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line))
					return true
				}
			}
			for _, callee := range funcs[name] {
				walk(callee)
			}
			return true
		})
	}
	walk(start)
	return places, nil
}

// types prints a receiver's type expression: "*Account".
func types(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return "*" + types(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// Task 2: Close and a Deposit at the same time. Close must hold a.mu: the
// Deposit writes the balance with the lock held, and a Close that reads it
// without the lock is a data race, which -race reports on every run
// (nothing orders the two).
func TestClose_WhileDepositing(t *testing.T) {
	isolate(t, 3, reentrantClose, func(t *testing.T) {
		a := NewAccount(7, 250)
		done := make(chan error)
		go func() { done <- a.Deposit(40) }()
		payout, err := a.Close()
		deposited := int64(0)
		if <-done == nil {
			deposited = 40
		}
		assert.NoError(t, err)
		if left := a.Balance(); payout+left != 250+deposited || left != 0 {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Close and a Deposit of 40 at once: Close pays out every cent (250 + %d), and 0 is left", deposited),
				Got:   fmt.Sprintf("paid out %d, %d left in the closed account", payout, left),
				Means: closeNotAtomic,
				Hint:  3,
			})
		}
	})
}

// unlockThenLock returns the places ("transfer.go:40") where the function
// or method named fn calls Unlock or RUnlock, not deferred, and later in its
// body calls Lock, RLock, TryLock or TryRLock: a critical section released
// and taken again. It reads the package's non-test Go files in dir, as they
// are on disk.
func unlockThenLock(dir, fn string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var places []string
	found := false
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Name.Name != fn {
				continue
			}
			found = true
			deferred := map[*ast.CallExpr]bool{}
			var unlock token.Pos // the first Unlock not deferred
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.DeferStmt:
					deferred[n.Call] = true
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					switch sel.Sel.Name {
					case "Unlock", "RUnlock":
						if !deferred[n] && unlock == token.NoPos {
							unlock = n.Pos()
						}
					case "Lock", "RLock", "TryLock", "TryRLock":
						if unlock != token.NoPos {
							pos := fset.Position(n.Pos())
							places = append(places, fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line))
						}
					}
				}
				return true
			})
		}
	}
	if !found {
		return nil, fmt.Errorf("no function %s in %s", fn, dir)
	}
	return places, nil
}
