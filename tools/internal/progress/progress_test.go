package progress

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMissingFileIsEmptyProgress(t *testing.T) {
	p, notice, err := Load(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Empty(t, p.Lessons)
}

func TestUpdateAndLoad(t *testing.T) {
	root := t.TempDir()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	want := Lesson{State: "passed", TasksPassed: []int{1, 2}, TasksNotRun: []int{3}, HintsRead: []int{1, 4}, CheckedAt: at, RaceChecked: true}
	p, notice, err := Update(root, func(p *Progress) error {
		*p.Lesson("01_goroutines") = want
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, &want, p.Lessons["01_goroutines"])

	got, notice, err := Load(root)
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, &want, got.Lessons["01_goroutines"])
	left, _ := filepath.Glob(filepath.Join(root, File+".tmp-*"))
	assert.Empty(t, left, "no temporary file is left behind")
}

func TestUpdateThatFailsWritesNothing(t *testing.T) {
	root := t.TempDir()
	_, _, err := Update(root, func(p *Progress) error {
		p.Lesson("01_goroutines").State = "passed"
		return fmt.Errorf("no")
	})
	require.EqualError(t, err, "no")
	_, err = os.Stat(filepath.Join(root, File))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestOldHintsAreMigrated: a file from before hints were a set recorded
// how many were shown, always from hint 1.
func TestOldHintsAreMigrated(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, File),
		[]byte(`{"version": 1, "lessons": {"01_goroutines": {"state": "failing", "hints_shown": 3}, "02_x": {"state": "failing"}}}`), 0o644))
	p, notice, err := Load(root)
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, []int{1, 2, 3}, p.Lessons["01_goroutines"].HintsRead)
	assert.Empty(t, p.Lessons["02_x"].HintsRead)

	_, _, err = Update(root, func(p *Progress) error { p.Lesson("01_goroutines").ReadHint(5); return nil })
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(root, File))
	require.NoError(t, err)
	assert.Contains(t, string(data), `"hints_read": [`)
	assert.NotContains(t, string(data), "hints_shown")
	p, _, err = Load(root)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 5}, p.Lessons["01_goroutines"].HintsRead)
}

func TestReadHintIsASet(t *testing.T) {
	var l Lesson
	for _, k := range []int{5, 1, 5, 3} {
		l.ReadHint(k)
	}
	assert.Equal(t, []int{1, 3, 5}, l.HintsRead)
	assert.True(t, l.HasRead(3))
	assert.False(t, l.HasRead(2), "hint 5 does not mark the hints before it")
}

func TestCorruptFileIsSetAsideNotLost(t *testing.T) {
	for name, garbage := range map[string]string{
		"not json":      "\x00\x01 garbage {{{",
		"wrong version": `{"version": 99, "lessons": {}}`,
		"no lessons":    `{"version": 1}`,
		"truncated":     `{"version": 1, "lessons": {"01_goroutines": {"state": "pa`,
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, File)
			require.NoError(t, os.WriteFile(path, []byte(garbage), 0o644))

			p, notice, err := Update(root, func(p *Progress) error {
				assert.Empty(t, p.Lessons)
				p.Lesson("02_blocking_server").State = "failing"
				return nil
			})
			require.NoError(t, err, "a corrupt progress file is never an error")
			assert.Contains(t, notice, "moved to "+File+".corrupt")
			assert.Len(t, p.Lessons, 1)

			kept, err := os.ReadFile(path + ".corrupt")
			require.NoError(t, err)
			assert.Equal(t, garbage, string(kept), "the unreadable file is kept as it was")

			again, notice, err := Load(root)
			require.NoError(t, err)
			assert.Empty(t, notice)
			assert.Equal(t, "failing", again.Lessons["02_blocking_server"].State)
		})
	}
}

// The environment of a child process started by TestNoUpdateIsLost.
const (
	childRoot = "PROGRESS_TEST_ROOT"
	childName = "PROGRESS_TEST_NAME"
	childLock = "PROGRESS_TEST_LOCK"
)

const updatesEach = 20

// update records updatesEach updates as worker name, each its own hint, in
// separate read-modify-writes.
func update(root, name string) error {
	for k := 1; k <= updatesEach; k++ {
		if _, _, err := Update(root, func(p *Progress) error {
			p.Lesson(name).ReadHint(k)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// TestUpdaterProcess is a child process of TestNoUpdateIsLost, not a test.
func TestUpdaterProcess(t *testing.T) {
	root := os.Getenv(childRoot)
	if root == "" {
		t.Skip("run by TestNoUpdateIsLost")
	}
	if os.Getenv(childLock) == "exclusive" {
		lockFile = lockExclusive
	}
	if err := update(root, os.Getenv(childName)); err != nil {
		t.Fatal(err)
	}
}

// TestNoUpdateIsLost runs many updaters at once, in goroutines and in
// separate processes, with each lock, and checks that every update of
// every one is in the file: what watch, hint and check do in two terminals.
func TestNoUpdateIsLost(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	for _, kind := range []string{"flock", "exclusive"} {
		t.Run(kind, func(t *testing.T) {
			if kind == "exclusive" {
				old := lockFile
				lockFile = lockExclusive
				t.Cleanup(func() { lockFile = old })
			}
			root := t.TempDir()
			const processes, goroutines = 4, 6
			var wg sync.WaitGroup
			for i := range processes {
				name := "process-" + strconv.Itoa(i)
				cmd := exec.Command(exe, "-test.run=^TestUpdaterProcess$", "-test.count=1")
				cmd.Env = append(os.Environ(), childRoot+"="+root, childName+"="+name, childLock+"="+kind)
				wg.Go(func() {
					out, err := cmd.CombinedOutput()
					assert.NoError(t, err, "%s: %s", name, out)
				})
			}
			for i := range goroutines {
				wg.Go(func() { assert.NoError(t, update(root, "goroutine-"+strconv.Itoa(i))) })
			}
			wg.Wait()

			p, notice, err := Load(root)
			require.NoError(t, err)
			assert.Empty(t, notice)
			want := make([]int, updatesEach)
			for k := range want {
				want[k] = k + 1
			}
			assert.Len(t, p.Lessons, processes+goroutines)
			for name, l := range p.Lessons {
				assert.Equal(t, want, l.HintsRead, "the updates of %s", name)
			}
			if kind == "exclusive" {
				_, err := os.Stat(filepath.Join(root, LockFile))
				assert.ErrorIs(t, err, os.ErrNotExist, "the lock file is removed")
			}
		})
	}
}

// TestStaleExclusiveLockIsBroken: a lock file left by a process that died
// does not stop the tool for ever.
func TestStaleExclusiveLockIsBroken(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFile)
	require.NoError(t, os.WriteFile(path, []byte("12345\n"), 0o644))
	old := time.Now().Add(-2 * staleAfter)
	require.NoError(t, os.Chtimes(path, old, old))
	unlock, err := lockExclusive(path)
	require.NoError(t, err)
	unlock()
}

// TestGitIgnoresTheProgressFiles: the file, what is set aside and the lock
// are the learner's, never part of a commit.
func TestGitIgnoresTheProgressFiles(t *testing.T) {
	data, err := os.ReadFile("../../../.gitignore")
	require.NoError(t, err)
	for _, name := range []string{File, File + ".corrupt", LockFile} {
		assert.Contains(t, strings.Split(string(data), "\n"), "/"+name)
	}
}
