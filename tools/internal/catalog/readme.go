package catalog

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// A Task is one numbered task of a lesson's README, with the tests that
// check it.
type Task struct {
	Number int
	Title  string
	Tests  []string
}

// A Hint is one "## Hint N: title" section of a lesson's hints.md.
type Hint struct {
	Number int
	Title  string
	Text   string // the section's body, without its heading
}

// RequiredSections are the "## " headings every lesson README has, in order.
var RequiredSections = []string{
	"The idea",
	"Coming from Node.js",
	"Picture",
	"Tasks",
	"Run the tests",
	"What the tests check",
}

var (
	taskStart = regexp.MustCompile(`^(\d+)\.\s+(.*)$`)
	boldTitle = regexp.MustCompile(`^\*\*(.+?)\*\*`)
	testName  = regexp.MustCompile("`(Test[A-Za-z0-9_]+)`")
	hintHead  = regexp.MustCompile(`^## Hint (\d+)(?::\s*(.*))?$`)
)

// README returns the lesson's README.md.
func (l *Lesson) README() (string, error) {
	data, err := os.ReadFile(filepath.Join(l.Path(), "README.md"))
	return string(data), err
}

// Sections returns the "## " headings of the README, in order.
func Sections(readme string) []string {
	var out []string
	for _, line := range strings.Split(readme, "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			out = append(out, strings.TrimSpace(h))
		}
	}
	return out
}

// Tasks reads the numbered list under the README's "## Tasks" heading.
func (l *Lesson) Tasks() ([]Task, error) {
	readme, err := l.README()
	if err != nil {
		return nil, err
	}
	return ParseTasks(readme)
}

// ParseTasks reads the numbered list under a README's "## Tasks" heading.
// Each item starts with "N. **Title.**" and names its tests in backticks.
func ParseTasks(readme string) ([]Task, error) {
	var tasks []Task
	in := false
	sc := bufio.NewScanner(strings.NewReader(readme))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line[3:]) == "Tasks"
			continue
		}
		if !in {
			continue
		}
		if m := taskStart.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			title := m[2]
			if b := boldTitle.FindStringSubmatch(title); b != nil {
				title = b[1]
			}
			tasks = append(tasks, Task{Number: n, Title: strings.TrimSuffix(title, ".")})
		}
		if len(tasks) > 0 {
			t := &tasks[len(tasks)-1]
			for _, m := range testName.FindAllStringSubmatch(line, -1) {
				t.Tests = append(t.Tests, m[1])
			}
		}
	}
	if len(tasks) == 0 {
		return nil, fmt.Errorf("README has no numbered tasks under \"## Tasks\"")
	}
	for i, t := range tasks {
		if t.Number != i+1 {
			return nil, fmt.Errorf("README task %d is numbered %d", i+1, t.Number)
		}
		if len(t.Tests) == 0 {
			return nil, fmt.Errorf("README task %d (%s) names no tests", t.Number, t.Title)
		}
	}
	return tasks, nil
}

// Hints reads the lesson's hints.md.
func (l *Lesson) Hints() ([]Hint, error) {
	data, err := os.ReadFile(filepath.Join(l.Path(), "hints.md"))
	if err != nil {
		return nil, err
	}
	return ParseHints(string(data))
}

// ParseHints splits a hints.md into its "## Hint N: title" sections, which
// must be numbered 1, 2, 3, ... in order.
func ParseHints(text string) ([]Hint, error) {
	var hints []Hint
	var body strings.Builder
	flush := func() {
		if len(hints) > 0 {
			hints[len(hints)-1].Text = strings.TrimSpace(body.String())
		}
		body.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		if m := hintHead.FindStringSubmatch(line); m != nil {
			flush()
			n, _ := strconv.Atoi(m[1])
			if n != len(hints)+1 {
				return nil, fmt.Errorf("hints.md: hint %d is numbered %d", len(hints)+1, n)
			}
			hints = append(hints, Hint{Number: n, Title: strings.TrimSpace(m[2])})
			continue
		}
		if len(hints) > 0 {
			body.WriteString(line + "\n")
		}
	}
	flush()
	return hints, nil
}
