// Package progress keeps a learner's progress through the course in a small
// JSON file at the repository root, which git ignores: the state of each
// lesson at its last check, the tasks that passed, and the hints shown.
//
// A missing file is an empty progress. A file that cannot be read as
// progress is set aside (renamed with a .corrupt suffix, never deleted) and
// progress starts again, with a one-line notice: the course tool never
// crashes on it.
//
// Several tool processes may run at once (watch in one terminal, hint and
// check in another), so the file is only ever written by Update: a
// read-modify-write of the file as it is now, under an exclusive lock.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/gokatas/concurrency/tools/internal/atomicfile"
)

// File is the progress file's name at the repository root.
const File = ".kata-progress.json"

// LockFile, beside File, is what Update locks while it reads and writes.
const LockFile = File + ".lock"

// version is the file format's version.
const version = 1

// Progress is the whole file.
type Progress struct {
	Version int                `json:"version"`
	Lessons map[string]*Lesson `json:"lessons"` // by lesson directory, "01_goroutines"
}

// Lesson is what the tool remembers of one lesson.
type Lesson struct {
	State       string    `json:"state"`                   // "passed" or "failing"
	Kind        string    `json:"kind,omitempty"`          // the failure kind at the last check: "data_race", ...
	TasksPassed []int     `json:"tasks_passed,omitempty"`  // task numbers whose tests all passed
	TasksNotRun []int     `json:"tasks_not_run,omitempty"` // task numbers none of whose tests failed but some never ran
	HintsRead   []int     `json:"hints_read,omitempty"`    // the hints shown, by number, sorted
	CheckedAt   time.Time `json:"checked_at,omitzero"`
	FilesHash   string    `json:"files_hash,omitempty"` // the lesson's files when checked
	RaceChecked bool      `json:"race_checked,omitempty"`
	TestsEdited bool      `json:"tests_edited,omitempty"` // the learner's test files differed from the course's
}

// UnmarshalJSON reads a lesson record, migrating the old high-water mark
// of hints ("hints_shown": 3 meant hints 1 to 3 were shown).
func (l *Lesson) UnmarshalJSON(data []byte) error {
	type plain Lesson
	var v struct {
		plain
		HintsShown int `json:"hints_shown"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*l = Lesson(v.plain)
	if l.HintsRead == nil {
		for k := 1; k <= v.HintsShown; k++ {
			l.HintsRead = append(l.HintsRead, k)
		}
	}
	return nil
}

// ReadHint records that hint k was shown.
func (l *Lesson) ReadHint(k int) {
	if i, found := slices.BinarySearch(l.HintsRead, k); !found {
		l.HintsRead = slices.Insert(l.HintsRead, i, k)
	}
}

// HasRead reports whether hint k was shown.
func (l *Lesson) HasRead(k int) bool {
	_, found := slices.BinarySearch(l.HintsRead, k)
	return found
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
			continue
		}
		slices.Sort(l.HintsRead)
		l.HintsRead = slices.Compact(l.HintsRead)
	}
	return &got, "", nil
}

// lockFile is lock; the tests also run Update with lockExclusive.
var lockFile = lock

// Update changes the progress of the course at root with change, which sees
// the file as it is now, and writes the result, all under an exclusive lock
// on LockFile: an update by another process at the same time is never lost.
// If change returns an error nothing is written. Update returns the
// progress as written (for the caller's view from now on) and Load's notice.
func Update(root string, change func(*Progress) error) (p *Progress, notice string, err error) {
	unlock, err := lockFile(filepath.Join(root, LockFile))
	if err != nil {
		return nil, "", fmt.Errorf("locking %s: %w", File, err)
	}
	defer unlock()
	p, notice, err = Load(root)
	if err != nil {
		return nil, notice, err
	}
	if err := change(p); err != nil {
		return nil, notice, err
	}
	return p, notice, p.save(root)
}

// save writes the progress atomically: a crash mid-write leaves the old
// file. Only Update calls it, under the lock.
func (p *Progress) save(root string) error {
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
