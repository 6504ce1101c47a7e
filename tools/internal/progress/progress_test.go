package progress

import (
	"os"
	"path/filepath"
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

func TestSaveAndLoad(t *testing.T) {
	root := t.TempDir()
	p, _, err := Load(root)
	require.NoError(t, err)
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	*p.Lesson("01_goroutines") = Lesson{State: "passed", TasksPassed: []int{1, 2}, HintsShown: 2, CheckedAt: at, RaceChecked: true}
	require.NoError(t, p.Save(root))

	got, notice, err := Load(root)
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, p.Lessons["01_goroutines"], got.Lessons["01_goroutines"])
	left, _ := filepath.Glob(filepath.Join(root, File+".tmp-*"))
	assert.Empty(t, left, "no temporary file is left behind")
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

			p, notice, err := Load(root)
			require.NoError(t, err, "a corrupt progress file is never an error")
			assert.Empty(t, p.Lessons)
			assert.Contains(t, notice, "moved to "+File+".corrupt")

			kept, err := os.ReadFile(path + ".corrupt")
			require.NoError(t, err)
			assert.Equal(t, garbage, string(kept), "the unreadable file is kept as it was")

			p.Lesson("02_blocking_server").State = "failing"
			require.NoError(t, p.Save(root))
			again, notice, err := Load(root)
			require.NoError(t, err)
			assert.Empty(t, notice)
			assert.Equal(t, "failing", again.Lessons["02_blocking_server"].State)
		})
	}
}
