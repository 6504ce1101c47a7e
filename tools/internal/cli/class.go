package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"sort"
	"strings"
)

func init() {
	register(&command{
		name:    "class",
		args:    "REPORT.json ...",
		summary: "for instructors: merge learners' reports into one class table",
		help: "Reads the JSON files that learners wrote with 'kata report' and prints one table,\n" +
			"as Markdown: per lesson, how many learners passed, how many are failing, the most\n" +
			"common failure kind, and hints used; then each learner's row. --html FILE also\n" +
			"writes the same tables as a self-contained HTML page. A file that is not a report\n" +
			"is named and skipped; the rest are merged.",
		run: runClass,
	})
}

// classTable is the merged view of a class.
type classTable struct {
	Lessons  []classLesson
	Learners []classLearner
	Skipped  []string // files that could not be read, with why
}

type classLesson struct {
	Lesson, Title                         string
	Passed, Failing, NotStarted, Learners int
	CommonKind                            string // most common failure kind among those failing, "" if none
	HintsUsed                             int    // total over learners
}

type classLearner struct {
	Name   string
	States []string // per lesson, in Lessons order: "passed", "failing: data race", ...
	Passed int
}

func runClass(ctx context.Context, env *Env, args []string) error {
	fs := flags("class", env)
	htmlOut := fs.String("html", "", "also write the table as a self-contained HTML page to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	var reports []Report
	var skipped []string
	for _, name := range fs.Args() {
		r, err := readReport(name)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		reports = append(reports, r)
	}
	t := mergeReports(reports)
	t.Skipped = skipped
	if len(reports) == 0 {
		for _, s := range skipped {
			fmt.Fprintln(env.Stderr, "skipped", s)
		}
		return fmt.Errorf("none of the %d files is a report written by 'kata report'", len(skipped))
	}
	// The page first: a reader of the Markdown who stops early (| head) must
	// not cost the page.
	if *htmlOut != "" {
		f, err := os.Create(*htmlOut)
		if err != nil {
			return err
		}
		if err := classPage.Execute(f, t); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s\n", *htmlOut)
	}
	writeClassMarkdown(env.Stdout, t)
	return nil
}

func readReport(name string) (Report, error) {
	var r Report
	data, err := os.ReadFile(name)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("not JSON: %v", err)
	}
	if r.Format != 1 || len(r.Lessons) == 0 {
		return r, fmt.Errorf("not a kata report (format %d, %d lessons)", r.Format, len(r.Lessons))
	}
	if r.Learner == "" {
		r.Learner = name
	}
	return r, nil
}

// mergeReports builds the class table. Lessons appear in the order of the
// first report that has them; learners are sorted by name.
func mergeReports(reports []Report) classTable {
	var t classTable
	index := map[string]int{}
	kinds := map[string]map[string]int{}
	sort.SliceStable(reports, func(i, j int) bool { return reports[i].Learner < reports[j].Learner })
	for _, r := range reports {
		for _, l := range r.Lessons {
			if _, ok := index[l.Lesson]; !ok {
				index[l.Lesson] = len(t.Lessons)
				t.Lessons = append(t.Lessons, classLesson{Lesson: l.Lesson, Title: l.Title})
				kinds[l.Lesson] = map[string]int{}
			}
		}
	}
	for _, r := range reports {
		row := classLearner{Name: r.Learner, States: make([]string, len(t.Lessons))}
		for i := range row.States {
			row.States[i] = "-"
		}
		for _, l := range r.Lessons {
			i := index[l.Lesson]
			cl := &t.Lessons[i]
			cl.Learners++
			cl.HintsUsed += l.HintsUsed
			state := l.State
			switch l.State {
			case statePassed:
				cl.Passed++
				row.Passed++
			case stateFailing:
				cl.Failing++
				if l.Kind != "" {
					kinds[l.Lesson][l.Kind]++
					state += ": " + strings.ReplaceAll(l.Kind, "_", " ")
				}
			default:
				cl.NotStarted++
			}
			row.States[i] = state
		}
		t.Learners = append(t.Learners, row)
	}
	for i := range t.Lessons {
		best, n := "", 0
		for k, c := range kinds[t.Lessons[i].Lesson] {
			if c > n || (c == n && k < best) {
				best, n = k, c
			}
		}
		t.Lessons[i].CommonKind = strings.ReplaceAll(best, "_", " ")
	}
	return t
}

func writeClassMarkdown(w io.Writer, t classTable) {
	fmt.Fprintf(w, "# Class progress (%d learners)\n\n", len(t.Learners))
	fmt.Fprintln(w, "| lesson | passed | failing | not started | most common failure | hints used |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, l := range t.Lessons {
		kind := l.CommonKind
		if kind == "" {
			kind = "-"
		}
		fmt.Fprintf(w, "| %s | %d/%d | %d | %d | %s | %d |\n", l.Lesson, l.Passed, l.Learners, l.Failing, l.NotStarted, kind, l.HintsUsed)
	}
	fmt.Fprintln(w, "\n| learner | passed | "+strings.Join(lessonNumbers(t), " | ")+" |")
	fmt.Fprintln(w, "|---|---|"+strings.Repeat("---|", len(t.Lessons)))
	for _, r := range t.Learners {
		cells := make([]string, len(r.States))
		for i, s := range r.States {
			cells[i] = stateMark(s)
		}
		fmt.Fprintf(w, "| %s | %d | %s |\n", strings.ReplaceAll(r.Name, "|", "/"), r.Passed, strings.Join(cells, " | "))
	}
	fmt.Fprintln(w, "\n✓ passed, ✗ failing (with its kind), · not started or changed since the last check.")
	for _, s := range t.Skipped {
		fmt.Fprintf(w, "\nSkipped %s\n", s)
	}
}

func lessonNumbers(t classTable) []string {
	out := make([]string, len(t.Lessons))
	for i, l := range t.Lessons {
		out[i], _, _ = strings.Cut(l.Lesson, "_")
	}
	return out
}

// stateMark is a learner's state in one short cell.
func stateMark(state string) string {
	switch {
	case state == statePassed:
		return "✓"
	case strings.HasPrefix(state, stateFailing+": "):
		return "✗ " + strings.TrimPrefix(state, stateFailing+": ")
	case state == stateFailing:
		return "✗"
	}
	return "·"
}

var classPage = template.Must(template.New("class").Funcs(template.FuncMap{
	"mark":    stateMark,
	"numbers": lessonNumbers,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Class progress: Go Concurrency Katas</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0 2em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
th { background: #f3f3f3; }
td.pass { background: #e3f6e3; } td.fail { background: #fbe4e4; }
.note { color: #666; }
</style>
</head>
<body>
<h1>Class progress ({{len .Learners}} learners)</h1>
<h2>By lesson</h2>
<table>
<tr><th>lesson</th><th>passed</th><th>failing</th><th>not started</th><th>most common failure</th><th>hints used</th></tr>
{{range .Lessons}}<tr><td>{{.Lesson}}</td><td>{{.Passed}}/{{.Learners}}</td><td>{{.Failing}}</td><td>{{.NotStarted}}</td><td>{{if .CommonKind}}{{.CommonKind}}{{else}}-{{end}}</td><td>{{.HintsUsed}}</td></tr>
{{end}}</table>
<h2>By learner</h2>
<table>
<tr><th>learner</th><th>passed</th>{{range numbers .}}<th>{{.}}</th>{{end}}</tr>
{{range .Learners}}<tr><td>{{.Name}}</td><td>{{.Passed}}</td>{{range .States}}{{$m := mark .}}<td class="{{if eq $m "✓"}}pass{{else if ne $m "·"}}fail{{end}}">{{$m}}</td>{{end}}</tr>
{{end}}</table>
<p class="note">✓ passed, ✗ failing (with its kind), · not started or changed since the last check.</p>
{{range .Skipped}}<p class="note">Skipped {{.}}</p>{{end}}
</body>
</html>
`))
