package catalog

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// A mistake file holds only what it changes. Its header comment is
// followed by the package clause and by the declarations that differ from
// the solution file it replaces: a function, a method, a type, a block of
// vars or consts. Splice lays those over the solution: each one takes the
// place of the solution's declaration of the same name (a method is named
// by its receiver type too, and a var, const or type block replaces every
// block of the solution that declares one of its names), and one the
// solution lacks is added at the end. The imports are those of both files
// that the result uses. A declaration of the solution that the mistake
// does without is named in its header ("// Removes: Shop.recordView,
// isBusy"), or it stays. A file that repeats the whole solution with a few
// lines changed is therefore a valid mistake too, only a longer one.

// Source returns the file the mistake stands for, laid over solution (the
// solution's file that it replaces): see Splice.
func (m Mistake) Source(solution []byte) ([]byte, error) {
	data, err := os.ReadFile(m.Path)
	if err != nil {
		return nil, err
	}
	return Splice(m.Path, solution, data, m.Removes)
}

// Splice returns the file that a mistake stands for: solution with the
// mistake's declarations in place of the solution's, and without those
// that removes names (as a "// Removes:" line names them). name is the
// mistake file's name, for errors.
func Splice(name string, solution, mistake []byte, removes []string) ([]byte, error) {
	fset := token.NewFileSet()
	sol, err := parser.ParseFile(fset, "solution", solution, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s: the solution it replaces does not parse: %w", name, err)
	}
	mis, err := parser.ParseFile(fset, name, mistake, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	if sol.Name.Name != mis.Name.Name {
		return nil, fmt.Errorf("%s: package %s, but the solution's file is package %s", name, mis.Name.Name, sol.Name.Name)
	}

	// Which of the solution's declarations each of the mistake's replaces.
	solText := map[string]bool{}
	for _, sd := range sol.Decls {
		solText[string(declText(fset, solution, sd))] = true
	}
	replaced := map[ast.Decl]ast.Decl{} // solution decl -> the mistake decl in its place (nil: removed)
	for _, r := range removes {
		found := false
		for _, sd := range sol.Decls {
			if slices.Contains(declNames(sd), r) {
				replaced[sd], found = nil, true
			}
		}
		if !found {
			return nil, fmt.Errorf("%s: \"// Removes: %s\", but the solution declares no %s", name, r, r)
		}
	}
	var added []ast.Decl
	for _, md := range mis.Decls {
		if isImport(md) {
			continue
		}
		keys := declKeys(md)
		if len(keys) == 0 && solText[string(declText(fset, mistake, md))] {
			continue // an init or a blank var that the solution has too
		}
		var hit []ast.Decl
		for _, sd := range sol.Decls {
			if _, done := replaced[sd]; !done && !isImport(sd) && overlaps(keys, declKeys(sd)) {
				hit = append(hit, sd)
			}
		}
		if len(hit) == 0 {
			added = append(added, md)
			continue
		}
		replaced[hit[0]] = md
		for _, sd := range hit[1:] {
			replaced[sd] = nil
		}
	}

	var body bytes.Buffer
	for _, sd := range sol.Decls {
		if isImport(sd) {
			continue
		}
		md, ok := replaced[sd]
		switch {
		case !ok:
			body.Write(declText(fset, solution, sd))
		case md != nil:
			if docOf(md) == nil && docOf(sd) != nil {
				body.Write(bytes.TrimSpace(solution[fset.Position(docOf(sd).Pos()).Offset:fset.Position(docOf(sd).End()).Offset]))
				body.WriteString("\n")
			}
			body.Write(declText(fset, mistake, md))
		default:
			continue
		}
		body.WriteString("\n\n")
	}
	for _, md := range added {
		body.Write(declText(fset, mistake, md))
		body.WriteString("\n\n")
	}

	imports := usedImports(sol.Name.Name, body.Bytes(), append(importSpecs(sol), importSpecs(mis)...))
	var out bytes.Buffer
	out.Write(header(fset, mistake, mis))
	out.WriteString("package " + sol.Name.Name + "\n\n")
	writeImports(&out, imports)
	out.Write(body.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: laid over the solution, it does not parse: %w", name, err)
	}
	return src, nil
}

// Minimize returns mistake with the declarations that are the same as the
// solution's left out, and the solution's declarations that mistake does
// without, for its "// Removes:" line: the shortest file that Splice turns
// back into mistake. ok is false when that is not possible (the solution
// has an init function); then mistake is returned as it is.
func Minimize(name string, solution, mistake []byte) (min []byte, removes []string, ok bool, err error) {
	fset := token.NewFileSet()
	sol, err := parser.ParseFile(fset, "solution", solution, parser.ParseComments)
	if err != nil {
		return nil, nil, false, err
	}
	mis, err := parser.ParseFile(fset, name, mistake, parser.ParseComments)
	if err != nil {
		return nil, nil, false, err
	}
	same := map[string]bool{}   // the text of the solution's declarations
	docs := map[string]string{} // the solution's doc comments
	for _, sd := range sol.Decls {
		same[string(declText(fset, solution, sd))] = true
		if d := docOf(sd); d != nil {
			docs[d.Text()] = string(bytes.TrimSpace(solution[fset.Position(d.Pos()).Offset:fset.Position(d.End()).Offset]))
		}
	}
	for _, sd := range sol.Decls {
		if isImport(sd) {
			continue
		}
		if len(declKeys(sd)) == 0 {
			// An init or a blank var has no name to replace it by. The
			// same one in mistake is dropped like any unchanged
			// declaration (Splice keeps the solution's); any other
			// mistake is kept whole, so that none runs twice or goes.
			if !hasText(fset, mistake, mis, declText(fset, solution, sd)) {
				return mistake, nil, false, nil
			}
			continue
		}
		found := false
		for _, md := range mis.Decls {
			if !isImport(md) && overlaps(declKeys(sd), declKeys(md)) {
				found = true
			}
		}
		if !found {
			removes = append(removes, declNames(sd)...)
		}
	}
	var body bytes.Buffer
	for _, md := range mis.Decls {
		if isImport(md) || same[string(declText(fset, mistake, md))] {
			continue
		}
		text := declText(fset, mistake, md)
		if d := docOf(md); d != nil && docs[d.Text()] != "" && replacesOne(md, sol) {
			// The solution's doc comment, unchanged: Splice puts it back.
			text = bytes.TrimSpace(mistake[fset.Position(md.Pos()).Offset:fset.Position(md.End()).Offset])
		}
		body.Write(text)
		body.WriteString("\n\n")
	}
	imports := usedImports(mis.Name.Name, body.Bytes(), importSpecs(mis))
	var out bytes.Buffer
	out.Write(header(fset, mistake, mis))
	out.WriteString("package " + mis.Name.Name + "\n\n")
	writeImports(&out, imports)
	out.Write(body.Bytes())
	min, err = format.Source(out.Bytes())
	if err != nil {
		return nil, nil, false, err
	}
	return min, removes, true, nil
}

// writeImports writes an import declaration of the lines, if any.
func writeImports(b *bytes.Buffer, lines []string) {
	switch len(lines) {
	case 0:
	case 1:
		b.WriteString("import " + lines[0] + "\n\n")
	default:
		b.WriteString("import (\n")
		for _, l := range lines {
			b.WriteString("\t" + l + "\n")
		}
		b.WriteString(")\n\n")
	}
}

// header is the text of the file before its package clause: the mistake's
// header comment.
func header(fset *token.FileSet, src []byte, f *ast.File) []byte {
	return src[:fset.Position(f.Package).Offset]
}

// declText is a declaration's source with its doc comment.
func declText(fset *token.FileSet, src []byte, d ast.Decl) []byte {
	start := d.Pos()
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	}
	return bytes.TrimSpace(src[fset.Position(start).Offset:fset.Position(d.End()).Offset])
}

// hasText reports whether f (parsed from src) has a declaration whose
// text, doc comment included, is text.
func hasText(fset *token.FileSet, src []byte, f *ast.File, text []byte) bool {
	for _, d := range f.Decls {
		if bytes.Equal(declText(fset, src, d), text) {
			return true
		}
	}
	return false
}

// docOf is a declaration's doc comment, or nil.
func docOf(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}

// replacesOne reports whether d replaces exactly one declaration of f, one
// that has the same doc comment.
func replacesOne(d ast.Decl, f *ast.File) bool {
	n := 0
	var hit ast.Decl
	for _, sd := range f.Decls {
		if !isImport(sd) && overlaps(declKeys(d), declKeys(sd)) {
			n++
			hit = sd
		}
	}
	return n == 1 && docOf(hit) != nil && docOf(hit).Text() == docOf(d).Text()
}

func isImport(d ast.Decl) bool {
	g, ok := d.(*ast.GenDecl)
	return ok && g.Tok == token.IMPORT
}

// declKeys names what a declaration declares: "func F", "method T.M",
// "type T", "value x". A blank name or an init function declares nothing
// another declaration can replace, so it gets a key of its own text
// position, which never matches.
func declKeys(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			if d.Name.Name == "init" {
				return nil
			}
			return []string{"func " + d.Name.Name}
		}
		return []string{"method " + recvType(d.Recv.List[0].Type) + "." + d.Name.Name}
	case *ast.GenDecl:
		var keys []string
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				keys = append(keys, "type "+s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.Name != "_" {
						keys = append(keys, "value "+n.Name)
					}
				}
			}
		}
		return keys
	}
	return nil
}

// declNames names what a declaration declares as a "// Removes:" line
// does: "F", "T.M" for a method, "T", "x".
func declNames(d ast.Decl) []string {
	var out []string
	for _, k := range declKeys(d) {
		out = append(out, k[strings.Index(k, " ")+1:])
	}
	return out
}

// recvType is the name of a method's receiver type: T for T, *T, T[K] and *T[K].
func recvType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return fmt.Sprintf("%T", e)
		}
	}
}

func overlaps(a, b []string) bool {
	for _, k := range a {
		if slices.Contains(b, k) {
			return true
		}
	}
	return false
}

// An importSpec is one import: its name in the file and its source line.
type importSpec struct{ name, line string }

func importSpecs(f *ast.File) []importSpec {
	var out []importSpec
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		name := path.Base(p)
		if len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" && strings.Contains(p, "/") {
			name = path.Base(path.Dir(p)) // math/rand/v2 is rand
		}
		line := s.Path.Value
		if s.Name != nil {
			name = s.Name.Name
			line = s.Name.Name + " " + line
		}
		out = append(out, importSpec{name, line})
	}
	return out
}

// usedImports returns the lines of the imports that decls (the
// declarations of a file of package pkg) use, once each, sorted by path
// with the standard library first. Blank and dot imports are always kept.
func usedImports(pkg string, decls []byte, specs []importSpec) []string {
	src := append([]byte("package "+pkg+"\n\n"), decls...)
	f, err := parser.ParseFile(token.NewFileSet(), "", src, 0)
	used := map[string]bool{}
	if err == nil {
		for _, id := range f.Unresolved {
			used[id.Name] = true
		}
	}
	seen := map[string]bool{}
	var std, other []string
	for _, s := range specs {
		if seen[s.line] || !(used[s.name] || s.name == "_" || s.name == ".") {
			continue
		}
		seen[s.line] = true
		p := s.line[strings.Index(s.line, `"`):]
		if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			other = append(other, s.line)
		} else {
			std = append(std, s.line)
		}
	}
	byPath := func(a, b string) int { return strings.Compare(a[strings.Index(a, `"`):], b[strings.Index(b, `"`):]) }
	slices.SortFunc(std, byPath)
	slices.SortFunc(other, byPath)
	if len(std) > 0 && len(other) > 0 {
		std = append(std, "")
	}
	return append(std, other...)
}

// Minimal returns the mistake's file as it should be kept: only the
// declarations that differ from solution (the solution's file that it
// replaces), with a "// Removes:" line naming what it does without. It is
// what the file already holds when the file is minimal.
func (m Mistake) Minimal(solution []byte) ([]byte, error) {
	full, err := m.Source(solution)
	if err != nil {
		return nil, err
	}
	min, removes, ok, err := Minimize(m.Path, solution, full)
	if err != nil || !ok {
		data, rerr := os.ReadFile(m.Path)
		if rerr != nil {
			return nil, rerr
		}
		return data, err
	}
	return setRemoves(min, m.Replaces, removes), nil
}

// setRemoves writes the header's "// Removes:" line: it drops the one
// there is, and puts one naming removes, if any, after the "// Replaces:"
// line.
func setRemoves(src []byte, replaces string, removes []string) []byte {
	var out []string
	lines := strings.SplitAfter(string(src), "\n")
	inHeader := true
	for _, line := range lines {
		if strings.HasPrefix(line, "package ") {
			inHeader = false
		}
		if inHeader && strings.HasPrefix(line, "// Removes:") {
			continue
		}
		out = append(out, line)
		if inHeader && strings.TrimSpace(line) == "// Replaces: "+replaces && len(removes) > 0 {
			out = append(out, "// Removes: "+strings.Join(removes, ", ")+"\n")
		}
	}
	return []byte(strings.Join(out, ""))
}
