package pristine

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashMatchesGit(t *testing.T) {
	// `printf 'hello\n' | git hash-object --stdin`
	assert.Equal(t, "ce013625030ba8dba906f756967f9e9ca394464a", Hash([]byte("hello\n")))
	assert.Equal(t, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", Hash(nil))
}

func TestParseAndFormat(t *testing.T) {
	s := Sums{"01_a/a.go": strings.Repeat("a", 40), "01_a/a_test.go": strings.Repeat("b", 40)}
	got, err := Parse(s.Format())
	require.NoError(t, err)
	assert.Equal(t, s, got)
	assert.Equal(t, map[string]string{"a.go": strings.Repeat("a", 40), "a_test.go": strings.Repeat("b", 40)}, s.Lesson("01_a"))

	_, err = Parse([]byte("nothash  01_a/a.go\n"))
	assert.ErrorContains(t, err, "pristine.sum:1")
}

func lesson(t *testing.T) (root string, sums Sums) {
	root = t.TempDir()
	dir := filepath.Join(root, "lessons", "01_a")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a_test.go"), []byte("package a\n// tests\n"), 0o644))
	sums, err := Scan(root, []string{"01_a"})
	require.NoError(t, err)
	return root, sums
}

func TestCompare(t *testing.T) {
	root, sums := lesson(t)
	dir := filepath.Join(root, "lessons", "01_a")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a // solved\n"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, "a_test.go")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extra_test.go"), []byte("package a\n"), 0o644))

	cmp, err := sums.Compare(root, "01_a")
	require.NoError(t, err)
	assert.Equal(t, map[string]Status{"a.go": Changed, "a_test.go": Missing, "extra_test.go": Unknown}, cmp)
}

func TestContentFromDiskAndFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root, sums := lesson(t)
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-qm", "course")

	got, err := sums.Content(root, "01_a/a.go")
	require.NoError(t, err)
	assert.Equal(t, "package a\n", string(got), "unchanged: read from disk")

	// The learner solves the lesson and commits over the original.
	path := filepath.Join(root, "lessons", "01_a", "a.go")
	require.NoError(t, os.WriteFile(path, []byte("package a // mine\n"), 0o644))
	git("commit", "-qam", "my work")
	got, err = sums.Content(root, "01_a/a.go")
	require.NoError(t, err)
	assert.Equal(t, "package a\n", string(got), "changed and committed over: still found in git's objects")

	_, err = sums.Content(t.TempDir(), "01_a/a.go")
	assert.ErrorContains(t, err, "git cannot give it")
}
