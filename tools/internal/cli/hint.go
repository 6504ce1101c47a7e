package cli

import (
	"context"
	"fmt"
	"strconv"
)

func init() {
	register(&command{
		name:    "hint",
		args:    "[N|slug|next] [K]",
		summary: "show the next hint of a lesson, one at a time",
		help: "Shows the next hint you have not seen for the lesson, and remembers it. Hints go from\n" +
			"a nudge to nearly the answer: read one, then try again. 'hint N K' shows hint K\n" +
			"again; --all shows every hint you have already seen.",
		run: runHint,
	})
}

func runHint(ctx context.Context, env *Env, args []string) error {
	fs := flags("hint", env)
	all := fs.Bool("all", false, "show every hint already seen, instead of the next one")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	rest := fs.Args()
	lessons, err := c.pick(rest[:min(len(rest), 1)])
	if err != nil {
		return err
	}
	l := lessons[0]
	hints, err := l.Hints()
	if err != nil {
		return err
	}
	if len(hints) == 0 {
		return fmt.Errorf("lesson %s has no hints", l.Dir)
	}
	rec := c.progress.Lesson(l.Dir)
	w := env.Stdout
	show := func(k int) {
		h := hints[k-1]
		fmt.Fprintf(w, "%s\n\n%s\n\n", paint(w, bold, fmt.Sprintf("%s, hint %d of %d: %s", l.Name(), k, len(hints), h.Title)), h.Text)
	}
	switch {
	case *all:
		if rec.HintsShown == 0 {
			fmt.Fprintf(w, "No hint of %s seen yet. Run: go run ./tools/kata hint %d\n", l.Name(), l.Number)
			return nil
		}
		for k := 1; k <= rec.HintsShown; k++ {
			show(k)
		}
		return nil
	case len(rest) == 2:
		k, err := strconv.Atoi(rest[1])
		if err != nil || k < 1 || k > len(hints) {
			return fmt.Errorf("%s has hints 1 to %d, not %q", l.Name(), len(hints), rest[1])
		}
		show(k)
		rec.HintsShown = max(rec.HintsShown, k)
	case rec.HintsShown >= len(hints):
		show(len(hints))
		fmt.Fprintf(w, "That was the last hint. The reference solution opens once the lesson passes:\n  go run ./tools/kata solution %d\n", l.Number)
		return nil
	default:
		rec.HintsShown++
		show(rec.HintsShown)
		if rec.HintsShown < len(hints) {
			fmt.Fprintf(w, "Try it, then run: go run ./tools/kata check %d   (next hint: go run ./tools/kata hint %d)\n", l.Number, l.Number)
		} else {
			fmt.Fprintf(w, "That is the last hint. Try it, then run: go run ./tools/kata check %d\n", l.Number)
		}
	}
	return c.progress.Save(env.Root)
}
