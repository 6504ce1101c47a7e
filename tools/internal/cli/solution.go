package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func init() {
	register(&command{
		name:    "solution",
		args:    "N|slug",
		summary: "show the reference solution and its notes, once the lesson passes",
		help: "Prints the lesson's reference solution and NOTES.md (why it is correct, the\n" +
			"alternatives, the known wrong solutions). Before the lesson passes it only\n" +
			"explains why waiting pays off; --force shows it anyway.",
		run: runSolution,
	})
}

func runSolution(ctx context.Context, env *Env, args []string) error {
	fs := flags("solution", env)
	force := fs.Bool("force", false, "show the solution even though the lesson has not passed yet")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, l, err := oneLesson(env, fs)
	if err != nil {
		return err
	}
	w := env.Stdout
	if st, _ := c.state(l); st != statePassed && !*force {
		fmt.Fprintf(w, "%s has not passed yet (%s).\n\n", l.Name(), st)
		fmt.Fprintln(w, "The solution teaches most after you have fought the bug yourself: the failing test,")
		fmt.Fprintln(w, "the race report and the hints are the lesson, and a solution read too early is")
		hints, _ := l.Hints()
		if k, allRead := firstUnread(c.progress.Lessons[l.Dir], len(hints)); allRead {
			fmt.Fprintln(w, "forgotten by tomorrow. You have read every hint; read them again with:")
			fmt.Fprintf(w, "  go run ./tools/kata hint %d --all\n\n", l.Number)
		} else {
			fmt.Fprintf(w, "forgotten by tomorrow. Try hint %d first:\n", k)
			fmt.Fprintf(w, "  go run ./tools/kata hint %d %d\n\n", l.Number, k)
		}
		fmt.Fprintf(w, "If you have decided to look anyway: go run ./tools/kata solution %d --force\n", l.Number)
		return &ExitError{Code: 1}
	}
	files, err := l.SolutionFiles()
	if err != nil {
		return err
	}
	for _, name := range append(files, "NOTES.md") {
		data, err := os.ReadFile(filepath.Join(l.SolutionPath(), name))
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(filepath.Join("solutions", l.Dir, name))
		fmt.Fprintf(w, "%s\n%s\n\n%s\n", paint(w, bold, "==> "+rel), strings.Repeat("-", len(rel)+4), strings.TrimRight(string(data), "\n"))
		fmt.Fprintln(w)
	}
	return nil
}
