package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/gokatas/concurrency/tools/internal/catalog"
)

// The generated documents. Each is written from lessons/course.json and the
// known mistakes' headers by `kata docs --write`; the course's tests fail
// when one is out of date.
const (
	CourseMapFile = "docs/course-map.md" // the whole map: `kata map` prints it
	ReadmeFile    = "README.md"          // its course table, between tableStart and tableEnd
	NotesFile     = "NOTES.md"           // in solutions/NN_slug/: its mistakes table, between the markers
)

// The markers around a generated part of a hand-written file.
const (
	courseTableStart   = "<!-- course table: written by `go run ./tools/kata docs --write` from lessons/course.json -->"
	courseTableEnd     = "<!-- end of the course table -->"
	mistakesTableStart = "<!-- mistakes table: written by `go run ./tools/kata docs --write` from the headers in testdata/mistakes/ -->"
	mistakesTableEnd   = "<!-- end of the mistakes table -->"
)

func init() {
	register(&command{
		name:    "map",
		summary: "for maintainers: print the course map (" + CourseMapFile + ") from lessons/course.json",
		help: "Prints the course map (parts, lessons, the Node.js idea each answers, time to\n" +
			"budget) as Markdown, from lessons/course.json; --write saves it as " + CourseMapFile + ".\n" +
			"'docs --write' writes it together with the other generated documents.",
		run: runMap,
	})
	register(&command{
		name:    "docs",
		summary: "for maintainers: check, or --write, the generated docs (course map, README table, NOTES tables) and cut mistakes",
		help: "The course map (" + CourseMapFile + "), the course table in " + ReadmeFile + " and the\n" +
			"mistakes table in each solutions/NN_slug/" + NotesFile + " are generated: from\n" +
			"lessons/course.json, and from the Mistake:, Replaces:, Kind: and Expect: lines of\n" +
			"each known mistake. Each known mistake is kept cut to the declarations that differ\n" +
			"from the solution file it replaces, with a Removes: line for those it does without.\n" +
			"Without flags it lists the files that are out of date and exits 1 if there is one;\n" +
			"--write rewrites them. Edit the sources, not the tables.",
		run: runDocs,
	})
}

func runMap(ctx context.Context, env *Env, args []string) error {
	fs := flags("map", env)
	write := fs.Bool("write", false, "write "+CourseMapFile+" instead of printing the map")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := catalog.Load(env.Root)
	if err != nil {
		return err
	}
	var b strings.Builder
	WriteCourseMap(&b, c)
	if *write {
		return writeFile(env.Root, CourseMapFile, []byte(b.String()))
	}
	_, err = io.WriteString(env.Stdout, b.String())
	return err
}

func runDocs(ctx context.Context, env *Env, args []string) error {
	fs := flags("docs", env)
	write := fs.Bool("write", false, "rewrite the documents that are out of date")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := catalog.Load(env.Root)
	if err != nil {
		return err
	}
	docs, err := GeneratedDocs(c)
	if err != nil {
		// A document the generator cannot place its part in is a failed
		// check of the course, like a stale one, not a fault of the tool.
		fmt.Fprintf(env.Stderr, "kata: %v\n", err)
		return &ExitError{Code: 1}
	}
	stale := 0
	for _, d := range docs {
		old, err := os.ReadFile(filepath.Join(env.Root, filepath.FromSlash(d.Path)))
		if err == nil && bytes.Equal(old, d.Data) {
			continue
		}
		stale++
		if *write {
			if err := writeFile(env.Root, d.Path, d.Data); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "wrote %s\n", d.Path)
		} else {
			fmt.Fprintf(env.Stdout, "out of date: %s\n", d.Path)
		}
	}
	switch {
	case stale == 0:
		fmt.Fprintf(env.Stdout, "all %d generated documents are up to date\n", len(docs))
	case !*write:
		fmt.Fprintln(env.Stdout, "run: go run ./tools/kata docs --write")
		return &ExitError{Code: 1}
	}
	return nil
}

// A Doc is a generated document as it should be on disk.
type Doc struct {
	Path string // below the course root, slash-separated
	Data []byte
}

// GeneratedDocs returns every generated document of the course as it should
// be now: the course map, the README with its course table, the NOTES.md
// of every written lesson with its mistakes table, and its known mistakes
// cut to what differs from the solution. A README or NOTES.md
// without the markers is an error that names the markers to add.
func GeneratedDocs(c *catalog.Course) ([]Doc, error) {
	var m strings.Builder
	WriteCourseMap(&m, c)
	docs := []Doc{{CourseMapFile, []byte(m.String())}}
	readme, err := splice(c.Root, ReadmeFile, courseTableStart, courseTableEnd, CourseTable(c))
	if err != nil {
		return nil, err
	}
	docs = append(docs, readme)
	for _, l := range c.Available() {
		table, err := MistakesTable(l)
		if err != nil {
			return nil, err
		}
		rel := filepath.ToSlash(filepath.Join(catalog.SolutionsDir, l.Dir, NotesFile))
		notes, err := splice(c.Root, rel, mistakesTableStart, mistakesTableEnd, table)
		if err != nil {
			return nil, err
		}
		docs = append(docs, notes)
		minimal, err := minimalMistakes(c.Root, l)
		if err != nil {
			return nil, err
		}
		docs = append(docs, minimal...)
	}
	return docs, nil
}

// minimalMistakes returns the lesson's known mistakes as they should be
// kept: each holding only what differs from the solution file it replaces
// (catalog.Mistake.Minimal), so that the catalogue is the size of the
// mistakes, not of copies of the solution.
func minimalMistakes(root string, l *catalog.Lesson) ([]Doc, error) {
	mistakes, err := l.Mistakes()
	if err != nil {
		return nil, err
	}
	var docs []Doc
	for _, m := range mistakes {
		sol, err := os.ReadFile(filepath.Join(l.SolutionPath(), m.Replaces))
		if err != nil {
			return nil, fmt.Errorf("%s: \"// Replaces: %s\": %w", m.Path, m.Replaces, err)
		}
		data, err := m.Minimal(sol)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(root, m.Path)
		if err != nil {
			return nil, err
		}
		docs = append(docs, Doc{filepath.ToSlash(rel), data})
	}
	return docs, nil
}

// splice returns the file at rel with the text between its start and end
// marker lines replaced by body.
func splice(root, rel, start, end, body string) (Doc, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return Doc{}, err
	}
	text := string(data)
	i := strings.Index(text, start+"\n")
	j := strings.Index(text, end+"\n")
	if i < 0 || j < i {
		return Doc{}, fmt.Errorf("%s has no generated part: put the lines\n  %s\n  %s\nwhere it goes", rel, start, end)
	}
	return Doc{rel, []byte(text[:i+len(start)+1] + body + text[j:])}, nil
}

// CourseTable is the README's table of the course: a row per written lesson
// (and per planned lesson of a part that has written ones), and one row for
// each part that is all planned.
func CourseTable(c *catalog.Course) string {
	var b strings.Builder
	b.WriteString("| # | lesson | the Node.js idea it answers |\n|---|---|---|\n")
	for _, p := range c.Parts {
		var planned []string
		for _, l := range p.Lessons {
			if l.Planned {
				planned = append(planned, lowerFirst(l.Title))
			}
		}
		if len(planned) == len(p.Lessons) {
			fmt.Fprintf(&b, "| | **Part %d. %s** (planned: %s) | |\n", p.Number, p.Title, strings.Join(planned, ", "))
			continue
		}
		fmt.Fprintf(&b, "| | **Part %d. %s** | |\n", p.Number, p.Title)
		for _, l := range p.Lessons {
			name := fmt.Sprintf("[%s](lessons/%s/)", l.Title, l.Dir)
			if l.Planned {
				name = l.Title + " (*planned*)"
			}
			fmt.Fprintf(&b, "| %02d | %s | %s |\n", l.Number, name, l.Node)
		}
	}
	return b.String()
}

// lowerFirst lowers the first letter of a title used inside a sentence,
// unless the word is an acronym ("CPU-bound work" stays).
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// MistakesTable is the table of a lesson's known mistakes for its NOTES.md,
// made from each mistake's header.
func MistakesTable(l *catalog.Lesson) (string, error) {
	mistakes, err := l.Mistakes()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| file | replaces | kind | mistake | its failure says |\n|---|---|---|---|---|\n")
	for _, m := range mistakes {
		says := make([]string, len(m.Expect))
		for i, e := range m.Expect {
			says[i] = "`" + cell(e) + "`"
		}
		fmt.Fprintf(&b, "| `%s.go` | `%s` | %s | %s | %s |\n", m.Name, m.Replaces, m.Kind, cell(m.Summary), strings.Join(says, ", "))
	}
	return b.String(), nil
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// WriteCourseMap writes the course map of c as Markdown.
func WriteCourseMap(w io.Writer, c *catalog.Course) {
	fmt.Fprintf(w, "# Course map\n\n")
	fmt.Fprintf(w, "Written by `go run ./tools/kata docs --write` from `lessons/course.json`; edit that file, not this one.\n\n")
	fmt.Fprintf(w, "Times are what a developer who knows the earlier lessons needs for one lesson,\n")
	fmt.Fprintf(w, "reading included. Lessons marked *planned* are in the catalogue but not written yet.\n")
	total, written := 0, 0
	for _, p := range c.Parts {
		minutes := 0
		for _, l := range p.Lessons {
			minutes += l.Minutes
		}
		fmt.Fprintf(w, "\n## Part %d. %s (%s)\n\n", p.Number, p.Title, hours(minutes))
		fmt.Fprintln(w, "| # | lesson | the Node.js idea it answers | time |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, l := range p.Lessons {
			name := fmt.Sprintf("[%s](../lessons/%s/)", l.Title, l.Dir)
			if l.Planned {
				name = l.Title + " (*planned*)"
			} else {
				written += l.Minutes
			}
			fmt.Fprintf(w, "| %02d | %s | %s | %s |\n", l.Number, name, l.Node, hours(l.Minutes))
			total += l.Minutes
		}
	}
	fmt.Fprintf(w, "\nIn all: %s for the lessons written so far, %s for the whole plan.\n", hours(written), hours(total))
}

func hours(minutes int) string {
	switch {
	case minutes < 60:
		return fmt.Sprintf("%d min", minutes)
	case minutes%60 == 0:
		return fmt.Sprintf("%d h", minutes/60)
	}
	return fmt.Sprintf("%d h %d min", minutes/60, minutes%60)
}
