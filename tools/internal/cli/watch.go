package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gokatas/concurrency/tools/internal/watch"
)

func init() {
	register(&command{
		name:    "watch",
		args:    "[N|slug|next]",
		summary: "check a lesson again every time you save",
		help: "Checks the lesson, then checks it again each time one of its Go files is saved,\n" +
			"until you press Ctrl-C. It follows editors that save by writing a new file and\n" +
			"renaming it. Where file-system events do not arrive (WSL on a Windows drive, network\n" +
			"file systems), use --poll, which looks for changes every half second.",
		run: runWatch,
	})
}

func runWatch(ctx context.Context, env *Env, args []string) error {
	fs := flags("watch", env)
	poll := fs.Bool("poll", false, "poll for changes instead of using file-system events")
	noRace := fs.Bool("no-race", false, "run without the race detector")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	lessons, err := c.pick(fs.Args())
	if err != nil {
		return err
	}
	l := lessons[0]
	race := useRace(ctx, env, *noRace)
	check := func() {
		fmt.Fprintf(env.Stdout, "%s\n", paint(env.Stdout, dim, strings.Repeat("─", 20)+" "+time.Now().Format("15:04:05")))
		o := c.checkLesson(ctx, l, race)
		if o.err != nil {
			if ctx.Err() == nil {
				fmt.Fprintln(env.Stderr, "kata:", o.err)
			}
			return
		}
		o.render(env.Stdout, false, false)
		if o.passed() {
			if n := c.after(l); n != nil {
				fmt.Fprintf(env.Stdout, "\nOn to %s: go run ./tools/kata watch %d\n", n.Name(), n.Number)
			}
		}
		fmt.Fprintf(env.Stdout, "\n%s\n", paint(env.Stdout, dim, "watching lessons/"+l.Dir+" for changes; Ctrl-C to stop"))
	}
	check()
	opts := watch.Options{Match: func(name string) bool { return strings.HasSuffix(name, ".go") }}
	if *poll {
		opts.Poll = 500 * time.Millisecond
	}
	err = watch.Watch(ctx, l.Path(), opts, check)
	if err != nil && !*poll {
		env.notice(err.Error() + "; polling for changes instead")
		opts.Poll = 500 * time.Millisecond
		err = watch.Watch(ctx, l.Path(), opts, check)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "\nstopped watching.")
	return nil
}
