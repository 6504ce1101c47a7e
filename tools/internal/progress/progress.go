// Package progress keeps a learner's progress through the course in a small
// JSON file at the repository root, which git ignores: the state of each
// lesson at its last check, the tasks that passed, and the hints shown.
//
// A missing file is an empty progress. A file that cannot be read as
// progress is set aside (renamed with a .corrupt suffix, never deleted) and
// progress starts again, with a one-line notice: the course tool never
// crashes on it.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gokatas/concurrency/tools/internal/atomicfile"
)

// File is the progress file's name at the repository root.
const File = ".kata-progress.json"

// version is the file format's version.
const version = 1

// Progress is the whole file.
type Progress struct {
	Version int                `json:"version"`
	Lessons map[string]*Lesson `json:"lessons"` // by lesson directory, "01_goroutines"
}

// Lesson is what the tool remembers of one lesson.
type Lesson struct {
	State       string    `json:"state"`                  // "passed" or "failing"
	Kind        string    `json:"kind,omitempty"`         // the failure kind at the last check: "data_race", ...
	TasksPassed []int     `json:"tasks_passed,omitempty"` // task numbers whose tests all passed
	HintsShown  int       `json:"hints_shown,omitempty"`
	CheckedAt   time.Time `json:"checked_at,omitzero"`
	FilesHash   string    `json:"files_hash,omitempty"` // the lesson's files when checked
	RaceChecked bool      `json:"race_checked,omitempty"`
	TestsEdited bool      `json:"tests_edited,omitempty"` // the learner's test files differed from the course's
}

// Load reads the progress of the course at root. notice is non-empty when
// the file was unreadable and set aside; the returned progress is then empty.
func Load(root string) (p *Progress, notice string, err error) {
	path := filepath.Join(root, File)
	p = &Progress{Version: version, Lessons: map[string]*Lesson{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return p, "", nil
	}
	if err != nil {
		return p, "", fmt.Errorf("reading %s: %w", File, err)
	}
	var got Progress
	if err := json.Unmarshal(data, &got); err != nil || got.Version != version || got.Lessons == nil {
		aside := path + ".corrupt"
		if rerr := os.Rename(path, aside); rerr != nil {
			return p, "", fmt.Errorf("%s is unreadable and could not be set aside: %w", File, rerr)
		}
		why := "an unknown format"
		if err != nil {
			why = err.Error()
		}
		return p, fmt.Sprintf("%s was unreadable (%s); it was moved to %s and progress starts again from your next check.",
			File, why, filepath.Base(aside)), nil
	}
	for dir, l := range got.Lessons {
		if l == nil {
			delete(got.Lessons, dir)
		}
	}
	return &got, "", nil
}

// Save writes the progress atomically: a crash mid-write leaves the old file.
func (p *Progress) Save(root string) error {
	p.Version = version
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(root, File), append(data, '\n'))
}

// Lesson returns the record of the lesson in dir, creating an empty one.
func (p *Progress) Lesson(dir string) *Lesson {
	l, ok := p.Lessons[dir]
	if !ok {
		l = &Lesson{}
		p.Lessons[dir] = l
	}
	return l
}
