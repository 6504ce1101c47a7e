package mutate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"
)

// An operator finds the places in a function body where it applies and adds
// one mutant for each.
type operator struct {
	name  string
	doc   string // what it does, for help and tests
	apply func(g *gen, body *ast.BlockStmt)
}

// Operator names.
const (
	OpRemoveLock       = "remove-lock"             // ConMAn RCXC/RSK: a Lock and its Unlocks removed
	OpSplitSection     = "split-critical-section"  // ConMAn SPCR: Unlock+Lock between two statements
	OpShrinkSection    = "shrink-critical-section" // ConMAn SKCR: the Unlock moved up one statement
	OpLockToRLock      = "lock-to-rlock"           // a write lock taken as a read lock
	OpSwapLocks        = "swap-locks"              // ConMAn EELO: two locks taken in the other order
	OpRemoveWGAdd      = "remove-wg-add"
	OpRemoveWGDone     = "remove-wg-done"
	OpRemoveWGWait     = "remove-wg-wait"   // ConMAn RTXC: remove a join
	OpMoveWGAdd        = "move-wg-add"      // Add inside the goroutine it counts
	OpWGGoToGo         = "wg-go-to-go"      // wg.Go(f) to go f(): nothing counted
	OpWGGoAddInside    = "wg-go-add-inside" // wg.Go(f) to go func(){ wg.Add(1); defer wg.Done(); f() }()
	OpRemoveClose      = "remove-close"
	OpCloseTwice       = "close-twice"
	OpRemoveSelCase    = "remove-select-case" // a case on done or ctx.Done() removed
	OpAddSelDefault    = "add-select-default" // a select that no longer blocks
	OpChanBuffer       = "chan-buffer"        // 0 to 1, n to 0
	OpDropCancel       = "drop-cancel"        // a cancel() or stop() not called
	OpDropDefer        = "drop-defer"
	OpDropErrCheck     = "drop-err-check"      // if err != nil / if ctx.Err() != nil removed
	OpOnceToCall       = "once-to-call"        // ConMAn: Once.Do(f) to f(), OnceFunc(f) to f
	OpGoToCall         = "go-to-call"          // go f() to f() in a loop
	OpAtomicToPlain    = "atomic-to-plain"     // ConMAn RVK: an atomic step made a read-modify-write
	OpBoundary         = "boundary"            // < and <=, > and >=
	OpRemoveSignal     = "remove-cond-signal"  // ConMAn RNA: a notify removed
	OpBroadcastSignal  = "broadcast-to-signal" // ConMAn RNA: notifyAll to notify
	OpCtxWithoutCancel = "ctx-without-cancel"  // a callee handed context.WithoutCancel(ctx)
)

var operators = []operator{
	{OpRemoveLock, "remove a Lock (or RLock) and the Unlocks that release it", removeLock},
	{OpSplitSection, "split a critical section in two: Unlock and Lock inserted between two of its statements", splitSection},
	{OpShrinkSection, "release a lock one statement earlier", shrinkSection},
	{OpLockToRLock, "take a read lock where the solution takes the write lock", lockToRLock},
	{OpSwapLocks, "take two locks in the opposite order", swapLocks},
	{OpRemoveWGAdd, "remove a WaitGroup.Add", wgCall("Add", OpRemoveWGAdd)},
	{OpRemoveWGDone, "remove a WaitGroup.Done", wgCall("Done", OpRemoveWGDone)},
	{OpRemoveWGWait, "remove a WaitGroup.Wait", wgCall("Wait", OpRemoveWGWait)},
	{OpMoveWGAdd, "move a WaitGroup.Add into the goroutine it counts", moveWGAdd},
	{OpWGGoToGo, "start wg.Go's function with a plain go statement", wgGo(false)},
	{OpWGGoAddInside, "start wg.Go's function with go, counting it with Add inside the goroutine", wgGo(true)},
	{OpRemoveClose, "remove a close", removeClose(false)},
	{OpCloseTwice, "close a channel twice", removeClose(true)},
	{OpRemoveSelCase, "remove a select case that waits for done or ctx.Done()", removeSelectCase},
	{OpAddSelDefault, "add a default case to a select", addSelectDefault},
	{OpChanBuffer, "make an unbuffered channel buffered (1), a buffered one unbuffered", chanBuffer},
	{OpDropCancel, "do not call a cancel or stop function", dropCancel},
	{OpDropDefer, "remove a defer statement", dropDefer},
	{OpDropErrCheck, "remove an if err != nil or ctx.Err() check", dropErrCheck},
	{OpOnceToCall, "call Once.Do's function directly; use OnceFunc's function directly", onceToCall},
	{OpGoToCall, "run a goroutine started in a loop synchronously", goToCall},
	{OpAtomicToPlain, "replace an atomic step with a plain read-modify-write", atomicToPlain},
	{OpBoundary, "change a boundary: < and <=, > and >=", boundary},
	{OpRemoveSignal, "remove a Cond.Signal or Broadcast", condCall(false)},
	{OpBroadcastSignal, "Cond.Broadcast to Signal", condCall(true)},
	{OpCtxWithoutCancel, "pass a callee a context that is never cancelled", ctxWithoutCancel},
}

// Operators lists the operator names and what each does.
func Operators() [][2]string {
	var out [][2]string
	for _, o := range operators {
		out = append(out, [2]string{o.name, o.doc})
	}
	return out
}

// ---- type information ----

// named is the package path and name of t's named type, after one pointer:
// "sync.Mutex", "sync/atomic.Int64". "" if unknown.
func named(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

// recv is the type that declares the method sel calls ("sync.Mutex", also
// for a method promoted from an embedded field), or "" if unknown.
func (g *gen) recv(sel *ast.SelectorExpr) string {
	s, ok := g.info.Selections[sel]
	if !ok {
		return ""
	}
	f, ok := s.Obj().(*types.Func)
	if !ok {
		return ""
	}
	sig, _ := f.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return ""
	}
	return named(sig.Recv().Type())
}

// method reports whether call is x.name(...) on one of the types (or on a
// type unknown to the type checker) and returns the receiver expression x.
func (g *gen) method(call *ast.CallExpr, name string, recvTypes ...string) (ast.Expr, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return nil, false
	}
	r := g.recv(sel)
	if r == "" {
		if _, isPkg := g.info.Uses[identOf(sel.X)].(*types.PkgName); isPkg {
			return nil, false
		}
		return sel.X, true
	}
	for _, t := range recvTypes {
		if r == t {
			return sel.X, true
		}
	}
	return nil, false
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// pkgFunc reports whether call is pkg.name(...) for the package path.
func (g *gen) pkgFunc(call *ast.CallExpr, pkgPath string) (string, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id := identOf(sel.X)
	if id == nil {
		return "", false
	}
	if pn, ok := g.info.Uses[id].(*types.PkgName); ok {
		return sel.Sel.Name, pn.Imported().Path() == pkgPath
	}
	return sel.Sel.Name, id.Name == importName(pkgPath) && id.Obj == nil
}

func (g *gen) builtin(call *ast.CallExpr, name string) bool {
	id := identOf(call.Fun)
	if id == nil || id.Name != name {
		return false
	}
	obj := g.info.Uses[id]
	_, isBuiltin := obj.(*types.Builtin)
	return isBuiltin || obj == nil
}

// ---- walking ----

// stmtLists calls f with every statement list in body, outermost first.
func stmtLists(body *ast.BlockStmt, f func([]ast.Stmt)) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			f(n.List)
		case *ast.CaseClause:
			f(n.Body)
		case *ast.CommClause:
			f(n.Body)
		}
		return true
	})
}

// stmtCall returns the call of an expression statement or a defer, and
// whether it was deferred.
func stmtCall(s ast.Stmt) (*ast.CallExpr, bool) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		c, _ := s.X.(*ast.CallExpr)
		return c, false
	case *ast.DeferStmt:
		return s.Call, true
	}
	return nil, false
}

// remove deletes n, and its line if nothing else is on it.
func (g *gen) remove(n ast.Node) edit {
	start, end := g.off(n.Pos()), g.off(n.End())
	s := start
	for s > 0 && (g.src[s-1] == ' ' || g.src[s-1] == '\t') {
		s--
	}
	if s > 0 && g.src[s-1] == '\n' && (end == len(g.src) || g.src[end] == '\n') {
		start = s - 1
	}
	return edit{start, end, ""}
}

func (g *gen) replace(n ast.Node, text string) edit {
	return edit{g.off(n.Pos()), g.off(n.End()), text}
}

func (g *gen) insertAfter(n ast.Node, text string) edit {
	return edit{g.off(n.End()), g.off(n.End()), text}
}

// ---- locks ----

var lockTypes = []string{"sync.Mutex", "sync.RWMutex"}

// lockCall reports whether s is x.Lock() or x.RLock() (not deferred), with
// the receiver's text and the method.
func (g *gen) lockCall(s ast.Stmt) (recv, method string, ok bool) {
	call, deferred := stmtCall(s)
	if call == nil || deferred || len(call.Args) != 0 {
		return "", "", false
	}
	for _, m := range []string{"Lock", "RLock"} {
		if x, ok := g.method(call, m, lockTypes...); ok {
			return g.text(x), m, true
		}
	}
	return "", "", false
}

// unlockOf reports whether s is recv.<unlock>() or defer recv.<unlock>().
func (g *gen) unlockOf(s ast.Stmt, recv, unlock string) (deferred, ok bool) {
	call, deferred := stmtCall(s)
	if call == nil || len(call.Args) != 0 {
		return false, false
	}
	x, ok := g.method(call, unlock, lockTypes...)
	return deferred, ok && g.text(x) == recv
}

// section is a critical section: the Lock at list[lock] and the Unlocks that
// end it: the first one in the same list (at list[end], maybe a defer) and
// any before it inside nested statements (early returns).
type section struct {
	list       []ast.Stmt
	lock, end  int // end is -1 if the list has no Unlock of its own
	deferred   bool
	recv, kind string // kind is "Lock" or "RLock"
	unlocks    []ast.Stmt
}

func unlockName(kind string) string { return strings.Replace(kind, "Lock", "Unlock", 1) }

// sections finds every critical section in body whose Unlocks it can see.
func (g *gen) sections(body *ast.BlockStmt) []section {
	var out []section
	stmtLists(body, func(list []ast.Stmt) {
		for i, s := range list {
			recv, kind, ok := g.lockCall(s)
			if !ok {
				continue
			}
			sec := section{list: list, lock: i, end: -1, recv: recv, kind: kind}
			for j := i + 1; j < len(list) && sec.end < 0; j++ {
				if d, ok := g.unlockOf(list[j], recv, unlockName(kind)); ok {
					sec.end, sec.deferred = j, d
					sec.unlocks = append(sec.unlocks, list[j])
					break
				}
				ast.Inspect(list[j], func(n ast.Node) bool {
					if _, lit := n.(*ast.FuncLit); lit {
						return false
					}
					if st, ok := n.(ast.Stmt); ok {
						if _, ok := g.unlockOf(st, recv, unlockName(kind)); ok {
							sec.unlocks = append(sec.unlocks, st)
						}
					}
					return true
				})
			}
			if len(sec.unlocks) > 0 {
				out = append(out, sec)
			}
		}
	})
	return out
}

// inside is the statements of the list that run while the lock is held.
func (s section) inside() []ast.Stmt {
	if s.end < 0 {
		return s.list[s.lock+1:]
	}
	if !s.deferred {
		return s.list[s.lock+1 : s.end]
	}
	return append(append([]ast.Stmt(nil), s.list[s.lock+1:s.end]...), s.list[s.end+1:]...)
}

func removeLock(g *gen, body *ast.BlockStmt) {
	for _, s := range g.sections(body) {
		edits := []edit{g.remove(s.list[s.lock])}
		for _, u := range s.unlocks {
			edits = append(edits, g.remove(u))
		}
		what := "its " + unlockName(s.kind)
		if len(s.unlocks) > 1 {
			what = fmt.Sprintf("its %d %ss", len(s.unlocks), unlockName(s.kind))
		}
		g.add(OpRemoveLock, s.list[s.lock], fmt.Sprintf("%s.%s() and %s removed", s.recv, s.kind, what), edits...)
	}
}

func splitSection(g *gen, body *ast.BlockStmt) {
	for _, s := range g.sections(body) {
		in := s.inside()
		for k := 0; k+1 < len(in); k++ {
			if _, ok := in[k].(*ast.ReturnStmt); ok {
				continue
			}
			text := fmt.Sprintf("\n%s.%s()\n%s.%s()", s.recv, unlockName(s.kind), s.recv, s.kind)
			g.add(OpSplitSection, in[k], fmt.Sprintf("%s released and taken again after line %d", s.recv, g.line(in[k])+lineSpan(g, in[k])), g.insertAfter(in[k], text))
		}
	}
}

// lineSpan is how many lines n covers beyond its first.
func lineSpan(g *gen, n ast.Node) int { return g.fset.Position(n.End()).Line - g.line(n) }

func shrinkSection(g *gen, body *ast.BlockStmt) {
	for _, s := range g.sections(body) {
		if s.end < 0 || s.deferred || s.end-s.lock < 3 || len(s.unlocks) > 1 {
			continue // deferred, one-statement or many-exit sections are split or removed by the others
		}
		prev := s.list[s.end-1]
		g.add(OpShrinkSection, s.list[s.end], fmt.Sprintf("%s.%s() moved above the statement on line %d", s.recv, unlockName(s.kind), g.line(prev)),
			g.remove(s.list[s.end]), edit{g.off(prev.Pos()), g.off(prev.Pos()), g.text(s.list[s.end]) + "\n"})
	}
}

func lockToRLock(g *gen, body *ast.BlockStmt) {
	for _, s := range g.sections(body) {
		if s.kind != "Lock" {
			continue
		}
		lockSel := stmtSel(s.list[s.lock])
		if r := g.recv(lockSel); r != "" && r != "sync.RWMutex" {
			continue
		}
		edits := []edit{g.replace(lockSel.Sel, "RLock")}
		for _, u := range s.unlocks {
			edits = append(edits, g.replace(stmtSel(u).Sel, "RUnlock"))
		}
		g.add(OpLockToRLock, s.list[s.lock], fmt.Sprintf("%s.Lock() taken as %s.RLock()", s.recv, s.recv), edits...)
	}
}

func stmtSel(s ast.Stmt) *ast.SelectorExpr {
	call, _ := stmtCall(s)
	return ast.Unparen(call.Fun).(*ast.SelectorExpr)
}

func swapLocks(g *gen, body *ast.BlockStmt) {
	stmtLists(body, func(list []ast.Stmt) {
		prev := -1
		for i, s := range list {
			recv, _, ok := g.lockCall(s)
			if !ok {
				continue
			}
			if prev >= 0 {
				a, b := list[prev], list[i]
				prevRecv, _, _ := g.lockCall(a)
				if prevRecv != recv {
					g.add(OpSwapLocks, a, fmt.Sprintf("%s and %s locked in the opposite order", prevRecv, recv),
						g.replace(a, g.text(b)), g.replace(b, g.text(a)))
				}
			}
			prev = i
		}
	})
}

// ---- WaitGroup ----

const waitGroup = "sync.WaitGroup"

func wgCall(name, op string) func(g *gen, body *ast.BlockStmt) {
	return func(g *gen, body *ast.BlockStmt) {
		stmtLists(body, func(list []ast.Stmt) {
			for _, s := range list {
				call, deferred := stmtCall(s)
				if call == nil {
					continue
				}
				x, ok := g.method(call, name, waitGroup)
				if !ok || (name == "Done" && len(call.Args) != 0) || (name == "Add" && len(call.Args) != 1) {
					continue
				}
				if name == "Done" && g.recv(ast.Unparen(call.Fun).(*ast.SelectorExpr)) == "" && !wgName(g.text(x)) {
					continue // without types, ctx.Done() and the like are not a WaitGroup's
				}
				what := g.text(call)
				if deferred {
					what = "defer " + what
				}
				g.add(op, s, what+" removed", g.remove(s))
			}
		})
	}
}

func wgName(s string) bool { return regexp.MustCompile(`(?i)wg|group|pending|running`).MatchString(s) }

// moveWGAdd moves x.Add(n) into the first goroutine (a go statement with a
// function literal) that follows it in the same list, or in the body of the
// loop that follows it.
func moveWGAdd(g *gen, body *ast.BlockStmt) {
	stmtLists(body, func(list []ast.Stmt) {
		for i, s := range list {
			call, deferred := stmtCall(s)
			if call == nil || deferred || len(call.Args) != 1 {
				continue
			}
			if _, ok := g.method(call, "Add", waitGroup); !ok {
				continue
			}
			lit := nextGoLit(list[i+1:])
			if lit == nil {
				continue
			}
			g.add(OpMoveWGAdd, s, fmt.Sprintf("%s moved into the goroutine started on line %d", g.text(call), g.line(lit)),
				g.remove(s), edit{g.off(lit.Body.Lbrace) + 1, g.off(lit.Body.Lbrace) + 1, "\n" + g.text(call) + "\n"})
		}
	})
}

func nextGoLit(list []ast.Stmt) *ast.FuncLit {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.GoStmt:
			if lit, ok := s.Call.Fun.(*ast.FuncLit); ok {
				return lit
			}
		case *ast.ForStmt:
			return nextGoLit(s.Body.List)
		case *ast.RangeStmt:
			return nextGoLit(s.Body.List)
		}
	}
	return nil
}

// wgGo rewrites x.Go(f) as go f(), without (addInside false) or with the
// counting done inside the goroutine.
func wgGo(addInside bool) func(g *gen, body *ast.BlockStmt) {
	return func(g *gen, body *ast.BlockStmt) {
		stmtLists(body, func(list []ast.Stmt) {
			for _, s := range list {
				call, deferred := stmtCall(s)
				if call == nil || deferred || len(call.Args) != 1 {
					continue
				}
				x, ok := g.method(call, "Go", waitGroup)
				if !ok {
					continue
				}
				f := g.text(call.Args[0])
				if addInside {
					wg := g.text(x)
					g.add(OpWGGoAddInside, s, fmt.Sprintf("%s.Go(f) as go func() { %s.Add(1); defer %s.Done(); f() }()", wg, wg, wg),
						g.replace(s, fmt.Sprintf("go func() {\n%s.Add(1)\ndefer %s.Done()\n(%s)()\n}()", wg, wg, f)))
				} else {
					g.add(OpWGGoToGo, s, fmt.Sprintf("%s.Go(f) as go f(): not counted, not waited for", g.text(x)),
						g.replace(s, fmt.Sprintf("go (%s)()", f)))
				}
			}
		})
	}
}

// ---- channels ----

func removeClose(twice bool) func(g *gen, body *ast.BlockStmt) {
	return func(g *gen, body *ast.BlockStmt) {
		stmtLists(body, func(list []ast.Stmt) {
			for _, s := range list {
				call, _ := stmtCall(s)
				if call == nil || len(call.Args) != 1 || !g.builtin(call, "close") {
					continue
				}
				if twice {
					g.add(OpCloseTwice, s, g.text(call)+" done twice", g.insertAfter(s, "\n"+g.text(s)))
				} else {
					g.add(OpRemoveClose, s, g.text(s)+" removed", g.remove(s))
				}
			}
		})
	}
}

var doneName = regexp.MustCompile(`(?i)done|quit|stop|close|cancel|exit|abort|shutdown`)

func removeSelectCase(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectStmt)
		if !ok || len(sel.Body.List) < 2 {
			return true
		}
		for _, c := range sel.Body.List {
			cc := c.(*ast.CommClause)
			ch := recvChan(cc.Comm)
			if ch == nil {
				continue
			}
			if call, ok := ast.Unparen(ch).(*ast.CallExpr); ok {
				if _, ok := g.method(call, "Done", "context.Context"); !ok {
					continue
				}
			} else if !doneName.MatchString(g.text(ch)) {
				continue
			}
			g.add(OpRemoveSelCase, cc, fmt.Sprintf("select case on %s (line %d) removed", g.text(ch), g.line(cc)), g.remove(cc))
		}
		return true
	})
}

// recvChan is the channel a select case receives from, or nil.
func recvChan(s ast.Stmt) ast.Expr {
	var e ast.Expr
	switch s := s.(type) {
	case *ast.ExprStmt:
		e = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			e = s.Rhs[0]
		}
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

func addSelectDefault(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectStmt)
		if !ok {
			return true
		}
		for _, c := range sel.Body.List {
			if c.(*ast.CommClause).Comm == nil {
				return true
			}
		}
		at := g.off(sel.Body.Rbrace)
		g.add(OpAddSelDefault, sel, fmt.Sprintf("default case added to the select on line %d", g.line(sel)), edit{at, at, "default:\n"})
		return true
	})
}

func chanBuffer(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !g.builtin(call, "make") || len(call.Args) == 0 {
			return true
		}
		if _, ok := call.Args[0].(*ast.ChanType); !ok {
			return true
		}
		switch {
		case len(call.Args) == 1 || g.text(call.Args[1]) == "0":
			at := g.off(call.Args[0].End())
			end := at
			if len(call.Args) == 2 {
				end = g.off(call.Args[1].End())
			}
			g.add(OpChanBuffer, call, g.text(call)+" given a buffer of 1", edit{at, end, ", 1"})
		default:
			g.add(OpChanBuffer, call, g.text(call)+" made unbuffered",
				edit{g.off(call.Args[0].End()), g.off(call.Args[1].End()), ""})
		}
		return true
	})
}

// ---- cancellation ----

var cancelName = regexp.MustCompile(`^(?i)(cancel|stop|release|unsubscribe)`)

// cancelCall reports whether call is a call of a cancel or stop function:
// a variable of a func type named cancel..., stop... (context.CancelFunc,
// the stop of context.AfterFunc), or a Stop or Cancel method.
func (g *gen) cancelCall(call *ast.CallExpr) bool {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		_, isVar := g.info.Uses[f].(*types.Var)
		return cancelName.MatchString(f.Name) && (isVar || g.info.Uses[f] == nil)
	case *ast.SelectorExpr:
		return f.Sel.Name == "Stop" || f.Sel.Name == "Cancel"
	}
	return false
}

func dropCancel(g *gen, body *ast.BlockStmt) {
	stmtLists(body, func(list []ast.Stmt) {
		for _, s := range list {
			call, _ := stmtCall(s)
			if call == nil || !g.cancelCall(call) {
				continue
			}
			repl := ""
			if id := identOf(call.Fun); id != nil {
				repl = "_ = " + id.Name // keep the variable used
			} else if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && identOf(sel.X) != nil {
				if _, isPkg := g.info.Uses[identOf(sel.X)].(*types.PkgName); !isPkg {
					repl = "_ = " + identOf(sel.X).Name // t.Stop() as _ = t
				}
			}
			g.add(OpDropCancel, s, g.text(s)+" not called", g.replace(s, repl))
		}
	})
}

// dropDefer removes the defers that no other operator covers.
func dropDefer(g *gen, body *ast.BlockStmt) {
	stmtLists(body, func(list []ast.Stmt) {
		for _, s := range list {
			d, ok := s.(*ast.DeferStmt)
			if !ok {
				continue
			}
			call := d.Call
			if g.cancelCall(call) || g.builtin(call, "close") {
				continue
			}
			if _, ok := g.method(call, "Done", waitGroup); ok {
				continue
			}
			if _, ok := g.method(call, "Unlock", lockTypes...); ok {
				continue
			}
			if _, ok := g.method(call, "RUnlock", lockTypes...); ok {
				continue
			}
			g.add(OpDropDefer, s, firstLine(g.text(s))+" removed", g.remove(s))
		}
	})
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// errCheck reports whether cond is err != nil, x.Err() != nil or
// context.Cause(ctx) != nil (or the == nil form for loop conditions).
func (g *gen) errCheck(cond ast.Expr, op token.Token) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != op || g.text(b.Y) != "nil" {
		return false
	}
	switch x := ast.Unparen(b.X).(type) {
	case *ast.Ident:
		return strings.HasSuffix(strings.ToLower(x.Name), "err")
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			return sel.Sel.Name == "Err" || sel.Sel.Name == "Cause"
		}
	}
	return false
}

func dropErrCheck(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.IfStmt:
			if !g.errCheck(s.Cond, token.NEQ) {
				return true
			}
			repl := ""
			if s.Init != nil {
				repl = g.text(s.Init)
				if as, ok := s.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
					repl = strings.Repeat("_, ", len(as.Lhs)-1) + "_ = " + g.text(as.Rhs[0])
					for _, r := range as.Rhs[1:] {
						repl += ", " + g.text(r)
					}
				}
				repl += "\n"
			}
			if s.Else != nil {
				repl += g.text(s.Else)
			}
			g.add(OpDropErrCheck, s, fmt.Sprintf("check if %s removed", g.text(s.Cond)), g.replace(s, repl))
		case *ast.ForStmt:
			if s.Cond != nil && g.errCheck(s.Cond, token.EQL) {
				g.add(OpDropErrCheck, s, fmt.Sprintf("loop condition %s removed", g.text(s.Cond)), g.remove(s.Cond))
			}
		}
		return true
	})
}

func ctxWithoutCancel(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if name, ok := g.pkgFunc(call, "context"); ok && (strings.HasPrefix(name, "With") || name == "Cause") {
			return true // deriving or inspecting a context is not handing it to a callee
		}
		for _, a := range call.Args {
			id := identOf(a)
			if id == nil || named(g.info.TypeOf(id)) != "context.Context" {
				continue
			}
			g.add(OpCtxWithoutCancel, a, fmt.Sprintf("%s passed as context.WithoutCancel(%s) to %s", id.Name, id.Name, g.text(call.Fun)),
				g.replace(a, "context.WithoutCancel("+id.Name+")"))
		}
		return true
	})
}

// ---- Once, goroutines, atomics, boundaries, Cond ----

func onceToCall(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		if x, ok := g.method(call, "Do", "sync.Once"); ok && (g.recv(call.Fun.(*ast.SelectorExpr)) != "" || strings.Contains(strings.ToLower(g.text(x)), "once")) {
			g.add(OpOnceToCall, call, fmt.Sprintf("%s.Do(f) as f()", g.text(x)), g.replace(call, "("+g.text(call.Args[0])+")()"))
		}
		if name, ok := g.pkgFunc(call, "sync"); ok && strings.HasPrefix(name, "Once") {
			g.add(OpOnceToCall, call, fmt.Sprintf("sync.%s(f) as f", name), g.replace(call, g.text(call.Args[0])))
		}
		return true
	})
}

func goToCall(g *gen, body *ast.BlockStmt) {
	var visit func(n ast.Node, inLoop bool)
	visit = func(n ast.Node, inLoop bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if c == n {
				return true
			}
			switch c := c.(type) {
			case *ast.ForStmt:
				visit(c.Body, true)
				return false
			case *ast.RangeStmt:
				visit(c.Body, true)
				return false
			case *ast.FuncLit:
				visit(c.Body, false)
				return false
			case *ast.GoStmt:
				if inLoop {
					g.add(OpGoToCall, c, fmt.Sprintf("go %s run synchronously in its loop", firstLine(g.text(c.Call))),
						edit{g.off(c.Pos()), g.off(c.Call.Pos()), ""})
				}
			case *ast.ExprStmt:
				if call, ok := c.X.(*ast.CallExpr); ok && inLoop && len(call.Args) == 1 {
					if x, ok := g.method(call, "Go", waitGroup); ok {
						g.add(OpGoToCall, c, fmt.Sprintf("%s.Go(f) run as f() in its loop", g.text(x)), g.replace(c, "("+g.text(call.Args[0])+")()"))
					}
				}
			}
			return true
		})
	}
	visit(body, false)
}

var atomicTypes = []string{"sync/atomic.Int32", "sync/atomic.Int64", "sync/atomic.Uint32", "sync/atomic.Uint64", "sync/atomic.Uintptr"}

func atomicToPlain(g *gen, body *ast.BlockStmt) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.ExprStmt:
			call, ok := s.X.(*ast.CallExpr)
			if !ok {
				return true
			}
			if x, ok := g.method(call, "Add", atomicTypes...); ok && len(call.Args) == 1 && g.recv(call.Fun.(*ast.SelectorExpr)) != "" {
				xs := g.text(x)
				g.add(OpAtomicToPlain, s, fmt.Sprintf("%s as %s.Store(%s.Load() + %s)", g.text(call), xs, xs, g.text(call.Args[0])),
					g.replace(s, fmt.Sprintf("%s.Store(%s.Load() + %s)", xs, xs, g.text(call.Args[0]))))
				return false
			}
			if name, ok := g.pkgFunc(call, "sync/atomic"); ok && strings.HasPrefix(name, "Add") && len(call.Args) == 2 {
				v := deref(g, call.Args[0])
				repl := v + " += " + g.text(call.Args[1])
				if g.text(call.Args[1]) == "1" {
					repl = v + "++"
				}
				g.add(OpAtomicToPlain, s, g.text(call)+" as "+repl, g.replace(s, repl))
				return false
			}
		case *ast.CallExpr:
			if x, ok := g.method(s, "CompareAndSwap", append(atomicTypes, "sync/atomic.Bool", "sync/atomic.Value", "sync/atomic.Pointer")...); ok && len(s.Args) == 2 && g.recv(s.Fun.(*ast.SelectorExpr)) != "" {
				xs, o, nv := g.text(x), g.text(s.Args[0]), g.text(s.Args[1])
				g.add(OpAtomicToPlain, s, fmt.Sprintf("%s as a Load, a compare, then a Store", g.text(s)),
					g.replace(s, fmt.Sprintf("func() bool {\nif %s.Load() != %s {\nreturn false\n}\n%s.Store(%s)\nreturn true\n}()", xs, o, xs, nv)))
			}
			if name, ok := g.pkgFunc(s, "sync/atomic"); ok {
				switch {
				case strings.HasPrefix(name, "Load") && len(s.Args) == 1:
					g.add(OpAtomicToPlain, s, g.text(s)+" as a plain read", g.replace(s, "("+deref(g, s.Args[0])+")"))
				case strings.HasPrefix(name, "Store") && len(s.Args) == 2:
					// a statement: handled as an assignment below
				}
			}
		}
		return true
	})
	stmtLists(body, func(list []ast.Stmt) {
		for _, s := range list {
			call, deferred := stmtCall(s)
			if call == nil || deferred || len(call.Args) != 2 {
				continue
			}
			if name, ok := g.pkgFunc(call, "sync/atomic"); ok && strings.HasPrefix(name, "Store") {
				repl := deref(g, call.Args[0]) + " = " + g.text(call.Args[1])
				g.add(OpAtomicToPlain, s, g.text(call)+" as "+repl, g.replace(s, repl))
			}
		}
	})
}

// deref is the variable a pointer expression points to: x for &x, else *(p).
func deref(g *gen, e ast.Expr) string {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		return g.text(u.X)
	}
	return "*(" + g.text(e) + ")"
}

func boundary(g *gen, body *ast.BlockStmt) {
	swap := map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok {
			return true
		}
		to, ok := swap[b.Op]
		if !ok {
			return true
		}
		at := g.off(b.OpPos)
		g.add(OpBoundary, b, fmt.Sprintf("%s with %s for %s", g.text(b), to, b.Op), edit{at, at + len(b.Op.String()), to.String()})
		return true
	})
}

func condCall(toSignal bool) func(g *gen, body *ast.BlockStmt) {
	return func(g *gen, body *ast.BlockStmt) {
		stmtLists(body, func(list []ast.Stmt) {
			for _, s := range list {
				call, _ := stmtCall(s)
				if call == nil || len(call.Args) != 0 {
					continue
				}
				for _, m := range []string{"Signal", "Broadcast"} {
					x, ok := g.method(call, m, "sync.Cond")
					if !ok || g.recv(call.Fun.(*ast.SelectorExpr)) == "" {
						continue
					}
					switch {
					case !toSignal:
						g.add(OpRemoveSignal, s, g.text(s)+" removed", g.remove(s))
					case m == "Broadcast":
						g.add(OpBroadcastSignal, s, g.text(x)+".Broadcast() as Signal()", g.replace(call.Fun.(*ast.SelectorExpr).Sel, "Signal"))
					}
				}
			}
		})
	}
}
