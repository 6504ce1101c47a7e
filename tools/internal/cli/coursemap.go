package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gokatas/concurrency/tools/internal/catalog"
)

// CourseMapFile is the course map that `kata map` writes.
const CourseMapFile = "docs/course-map.md"

func init() {
	register(&command{
		name:    "map",
		summary: "for maintainers: write " + CourseMapFile + " from lessons/course.json",
		help: "Prints the course map (parts, lessons, the Node.js idea each answers, time to\n" +
			"budget) as Markdown, from lessons/course.json; --write saves it as " + CourseMapFile + ".\n" +
			"The course verification fails when the saved map is out of date.",
		run: runMap,
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

// WriteCourseMap writes the course map of c as Markdown.
func WriteCourseMap(w io.Writer, c *catalog.Course) {
	fmt.Fprintf(w, "# Course map\n\n")
	fmt.Fprintf(w, "Written by `go run ./tools/kata map --write` from `lessons/course.json`; edit that file, not this one.\n\n")
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
