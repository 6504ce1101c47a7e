// Package cli is the course tool's command line: it parses the arguments,
// runs one command and renders its result. tools/kata's main only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gokatas/concurrency/tools/internal/catalog"
)

// Env is what a command may use: where the course is and where to write.
type Env struct {
	Root   string // the repository root, holding go.mod
	Dir    string // the working directory: a lesson's directory names that lesson
	Stdout io.Writer
	Stderr io.Writer
}

// A command is one subcommand of the tool.
type command struct {
	name    string
	args    string // the arguments, for usage: "[N|next|all]"
	summary string // one line for the command list
	help    string // what `kata help NAME` says after the usage line
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands is the tool's command table, in the order `kata help` lists it.
var commands []*command

func register(c *command) { commands = append(commands, c) }

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// The tool's exit statuses, as 'help' and the README document them.
const (
	exitOK        = 0 // the command did its job, and what it checked passed
	exitFailed    = 1 // a lesson or a verification failed
	exitUsage     = 2 // bad arguments: an unknown command, flag or lesson
	exitCannotRun = 3 // the tool could not do its job: I/O, the go command, ...
)

// ExitError is returned by a command whose work ran and said "no": a lesson
// that fails its check, a verification with failures. Main turns it into the
// exit status without printing it again.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// usageError is an error in the command line, such as an unknown lesson:
// Main prints it and exits with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string   { return e.err.Error() }
func (e usageError) Unwrap() []error { return []error{e.err, errUsage} }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// Main runs the tool with args (without the program name) and returns the
// process's exit status: see the exit constants.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root, err := findRoot()
	if err != nil {
		fmt.Fprintln(stderr, "kata:", err)
		return exitUsage
	}
	wd, _ := os.Getwd()
	env := &Env{Root: root, Dir: wd, Stdout: stdout, Stderr: stderr}
	name := "overview"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "kata: unknown command %q\nRun 'go run ./tools/kata help' for the list of commands.\n", name)
		return exitUsage
	}
	err = c.run(ctx, env, args)
	var exit *ExitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &exit):
		return exit.Code
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		if err != errUsage { // the bare errUsage follows a usage message already printed
			fmt.Fprintln(stderr, "kata:", err)
		}
		return exitUsage
	}
	fmt.Fprintln(stderr, "kata:", err)
	return exitCannotRun
}

var errUsage = errors.New("usage")

// flags returns a flag set for c whose usage message is the command's help.
func flags(c string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(c, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		cmd := lookup(c)
		fmt.Fprintf(env.Stderr, "usage: go run ./tools/kata %s %s\n\n%s\n", cmd.name, cmd.args, cmd.help)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(env.Stderr, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args for a command, with flags allowed before, between and
// after the arguments ("check 3 --no-race"); "--" ends the flags. A bad flag
// prints the usage and returns errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

// findRoot walks up from the working directory to the course's go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(catalog.CourseFile))); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the course: run the tool from the repository (go run ./tools/kata)")
		}
		dir = parent
	}
}

func init() {
	register(&command{
		name:    "help",
		args:    "[command]",
		summary: "show the commands, or what one command does",
		help:    "Lists the commands, or shows the usage of one.",
		run: func(ctx context.Context, env *Env, args []string) error {
			fs := flags("help", env)
			if err := parse(fs, args); err != nil {
				return err
			}
			args = fs.Args()
			if len(args) > 0 {
				c := lookup(args[0])
				if c == nil {
					return usagef("no command %q", args[0])
				}
				// Commands declare their flags when they run; ask for -h.
				return c.run(ctx, &Env{Root: env.Root, Stdout: env.Stdout, Stderr: env.Stdout}, []string{"-h"})
			}
			fmt.Fprintln(env.Stdout, "Go Concurrency Katas: the course tool.\n\nusage: go run ./tools/kata [command] [arguments]\n\ncommands:")
			names := make([]string, 0, len(commands))
			for _, c := range commands {
				names = append(names, c.name)
			}
			sort.Strings(names)
			for _, n := range names {
				c := lookup(n)
				fmt.Fprintf(env.Stdout, "  %-10s %s\n", c.name, c.summary)
			}
			fmt.Fprintln(env.Stdout, "\nWith no command, it shows the course at a glance. 'help COMMAND' says more.")
			fmt.Fprintln(env.Stdout, "\nexit status: 0 done (and every lesson checked passed), 1 a lesson or verification\n"+
				"failed, 2 a usage error (unknown command, flag or lesson), 3 the tool could not do\n"+
				"its job (a file it could not read or write, the go command missing, ...).")
			return nil
		},
	})
}
