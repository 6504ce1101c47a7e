package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gokatas/concurrency/tools/internal/atomicfile"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/progress"
)

// SavedDir is where reset keeps the learner's files, below the repository
// root; .gitignore lists it.
const SavedDir = ".kata/saved"

func init() {
	register(&command{
		name:    "reset",
		args:    "N|slug",
		summary: "restore a lesson's files as the course published them, saving yours first",
		help: "Restores the lesson's files to the course's originals. Before it overwrites anything,\n" +
			"it copies every file of yours that differs to " + SavedDir + "/<lesson>/<time>/ and\n" +
			"says where, so nothing is lost. The originals come from the repository itself\n" +
			"(no network), even if you committed your own work over them. --tests restores only\n" +
			"the test files and the lesson's fixed contract files, and leaves your code alone.",
		run: runReset,
	})
}

func runReset(ctx context.Context, env *Env, args []string) error {
	fs := flags("reset", env)
	testsOnly := fs.Bool("tests", false, "restore only the test files and contract files")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, l, err := oneLesson(env, fs)
	if err != nil {
		return err
	}
	cmp, err := c.sums.Compare(c.Root, l.Dir)
	if err != nil {
		return err
	}
	var restore []string
	for name, st := range cmp {
		if st == pristine.Same || st == pristine.Unknown {
			continue
		}
		if *testsOnly && !l.Protected(name) {
			continue
		}
		restore = append(restore, name)
	}
	sort.Strings(restore)
	w := env.Stdout
	if len(restore) == 0 {
		fmt.Fprintf(w, "%s is already as the course published it; nothing to reset.\n", l.Name())
		return nil
	}

	// Fetch every original before touching anything, so that a missing one
	// stops the reset with nothing changed.
	originals := map[string][]byte{}
	for _, name := range restore {
		data, err := c.sums.Content(c.Root, l.Dir+"/"+name)
		if err != nil {
			return fmt.Errorf("nothing was changed: %w", err)
		}
		originals[name] = data
	}

	saved := filepath.Join(c.Root, filepath.FromSlash(SavedDir), l.Dir, time.Now().Format("20060102-150405"))
	for _, name := range restore {
		if cmp[name] == pristine.Missing {
			continue
		}
		if err := atomicfile.Copy(filepath.Join(l.Path(), name), filepath.Join(saved, name)); err != nil {
			return fmt.Errorf("saving your %s failed, so nothing was changed: %w", name, err)
		}
	}
	for _, name := range restore {
		if err := writeFile(c.Root, filepath.ToSlash(filepath.Join("lessons", l.Dir, name)), originals[name]); err != nil {
			return fmt.Errorf("restoring %s: %w (your files are saved in %s)", name, err, saved)
		}
	}
	if !*testsOnly {
		err := c.record(l, func(rec *progress.Lesson) {
			*rec = progress.Lesson{HintsRead: rec.HintsRead} // not started again; the hints read stay read
		})
		if err != nil {
			env.notice("could not save progress: " + err.Error())
		}
	}

	fmt.Fprintf(w, "Restored %d file(s) of %s: %s\n", len(restore), l.Name(), strings.Join(restore, ", "))
	if rel, err := filepath.Rel(c.Root, saved); err == nil {
		if _, err := os.Stat(saved); err == nil {
			fmt.Fprintf(w, "Your versions are saved in %s\n", filepath.ToSlash(rel))
		}
	}
	for name, st := range cmp {
		if st == pristine.Unknown {
			fmt.Fprintf(w, "Left alone: %s (not a course file)\n", name)
		}
	}
	return nil
}
