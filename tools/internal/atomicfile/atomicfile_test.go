package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteAndCopy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "b", "file.txt")
	require.NoError(t, Write(path, []byte("one")))
	require.NoError(t, Write(path, []byte("two")))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))

	to := filepath.Join(dir, "copy", "file.txt")
	require.NoError(t, Copy(path, to))
	got, err = os.ReadFile(to)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))

	left, _ := filepath.Glob(filepath.Join(dir, "a", "b", "*.tmp-*"))
	assert.Empty(t, left, "no temporary file is left behind")
	assert.Error(t, Copy(filepath.Join(dir, "missing"), to))
}
