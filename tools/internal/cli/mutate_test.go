package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/pristine"
)

// TestMutate runs `kata mutate` on the mutation package's fixture course,
// whose one lesson kills two of its three mutants, and checks what it
// prints: the survivor with its operator, file:line and change, then the
// counts; and the exit status 1, since 66.7% is below 95%.
func TestMutate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lesson's tests on every mutant; skipped with -short")
	}
	root := t.TempDir()
	fixture, err := filepath.Abs("../mutate/testdata/course")
	require.NoError(t, err)
	require.NoError(t, os.CopyFS(root, os.DirFS(fixture)))
	sums, err := pristine.Scan(root, []string{"01_count"})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, pristine.File), sums.Format(), 0o644))
	t.Chdir(root)

	code, out, _ := kata(t, "mutate", "1")
	assert.Equal(t, 1, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	assert.Equal(t, "01_count", lines[0])
	assert.Equal(t, "  survived  remove-lock              count.go:22  c.mu.Lock() and its Unlock removed", lines[1])
	assert.Equal(t, "            id remove-lock:count.go:(*Counter).Value#0", lines[2])
	assert.Regexp(t, `^2 killed, 1 survived, 0 equivalent \(0 not compiling, left out\); score 66\.7%, in \d+s$`, lines[3])

	code, _, _ = kata(t, "mutate", "1", "--sample", "1", "--write")
	assert.Equal(t, 2, code, "--write with --sample is a usage error")
}
