package verify

import (
	"context"
	"errors"
	"maps"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/gotest"
)

// A Scratch is one lesson's published files and its solution, gathered once,
// from which the lesson is laid out in a fresh temporary copy of the module
// for every run. The verification runs its checks through the same layout;
// other tools (such as mutation testing) use it to run the lesson's tests on
// files of their own, copied into place of the starter files on disk.
type Scratch struct {
	v *lessonRun
}

// NewScratch gathers the lesson's pristine files and solution. It fails
// when the lesson has no pristine record or its solution cannot be read.
func NewScratch(opts Options, l *catalog.Lesson) (*Scratch, error) {
	v := &lessonRun{opts: Options{Course: opts.Course, Sums: opts.Sums}, lesson: l}
	if !v.laidOut() {
		msg := "cannot lay out " + l.Dir
		if len(v.checks) > 0 {
			msg = v.checks[len(v.checks)-1].Detail
		}
		return nil, errors.New(msg)
	}
	return &Scratch{v: v}, nil
}

// Solution returns a copy of the solution's files, by file name.
func (s *Scratch) Solution() map[string][]byte { return maps.Clone(s.v.solutions) }

// Published returns a copy of the lesson's published files (README, tests,
// starters...) by file name, as the pristine record has them.
func (s *Scratch) Published() map[string][]byte { return maps.Clone(s.v.pristine) }

// Starters lists the published starter files, sorted.
func (s *Scratch) Starters() []string { return append([]string(nil), s.v.starters...) }

// Run lays the lesson out in a new temporary module, with files written in
// place of the published ones, and runs its tests with opts (Dir and Package
// are set by Run). The temporary module is removed before Run returns.
func (s *Scratch) Run(ctx context.Context, label string, files map[string][]byte, opts gotest.Options) (*gotest.Result, error) {
	return s.v.run(ctx, label, files, opts)
}
