package mutate

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestOperators applies every operator to the small sources in
// testdata/operators and compares each mutant, as the lines it changes,
// with the golden file beside the source. Every operator must apply at least
// once, and every mutant must be a different program.
func TestOperators(t *testing.T) {
	srcs, err := filepath.Glob("testdata/operators/*.go")
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, path := range srcs {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		files[filepath.Base(path)] = data
	}
	used := map[string]bool{}
	for _, path := range srcs {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			mutants, err := Generate(files, []string{name})
			require.NoError(t, err)
			var b strings.Builder
			seen := map[string]string{}
			for _, m := range mutants {
				used[m.Operator] = true
				fmt.Fprintf(&b, "== %s (line %d): %s\n%s\n", m.ID, m.Line, m.Desc, lineDiff(string(files[name]), string(m.Source)))
				prev, dup := seen[string(m.Source)]
				assert.False(t, dup, "%s makes the same program as %s", m.ID, prev)
				seen[string(m.Source)] = m.ID
				assert.NotEqual(t, string(files[name]), string(m.Source), "%s changes nothing", m.ID)
			}
			golden := strings.TrimSuffix(path, ".go") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), b.String(), "run go test ./tools/internal/mutate -run TestOperators -update and review the diff")
		})
	}
	for _, op := range operators {
		assert.True(t, used[op.name], "operator %s applies nowhere in testdata/operators", op.name)
	}
}

// lineDiff shows the lines that differ between a and b: those after the
// common first lines and before the common last lines.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	p := 0
	for p < len(al) && p < len(bl) && al[p] == bl[p] {
		p++
	}
	s := 0
	for s < len(al)-p && s < len(bl)-p && al[len(al)-1-s] == bl[len(bl)-1-s] {
		s++
	}
	var out strings.Builder
	for _, l := range al[p : len(al)-s] {
		out.WriteString("-" + l + "\n")
	}
	for _, l := range bl[p : len(bl)-s] {
		out.WriteString("+" + l + "\n")
	}
	return out.String()
}

// TestIDsSurviveUnrelatedEdits checks that a mutant keeps its ID when the
// file changes elsewhere: a function added above, a comment, another
// function's body rewritten.
func TestIDsSurviveUnrelatedEdits(t *testing.T) {
	src, err := os.ReadFile("testdata/operators/locks.go")
	require.NoError(t, err)
	edited := strings.Replace(string(src), "type Store struct {", `// Helper is new.
func Helper(s *Store) {
	s.mu.Lock()
	s.m["new"] = 1
	s.mu.Unlock()
}

// A Store is documented now.
type Store struct {`, 1)
	edited = strings.Replace(edited, "\ts.m[\"y\"]--\n", "\ts.m[\"y\"]--\n\ts.m[\"z\"] = 0\n", 1) // Move changes

	ids := func(src string) map[string]string {
		ms, err := Generate(map[string][]byte{"locks.go": []byte(src)}, []string{"locks.go"})
		require.NoError(t, err)
		out := map[string]string{}
		for _, m := range ms {
			out[m.ID] = m.Operator
		}
		return out
	}
	before, after := ids(string(src)), ids(edited)
	for id := range before {
		if strings.Contains(id, "(*Store).Move") {
			continue // the function that changed may gain mutants
		}
		assert.Contains(t, after, id, "the ID changed with an unrelated edit")
	}
	assert.Contains(t, after, "remove-lock:locks.go:Helper#0")
	assert.Contains(t, before, "split-critical-section:locks.go:(*Store).Get#0")
}

// TestSampleIsStable checks that a sample is the same for the same
// mutants whatever their order, and does not move when a mutant is added.
func TestSampleIsStable(t *testing.T) {
	var ms []Mutant
	for i := range 20 {
		ms = append(ms, Mutant{ID: fmt.Sprintf("op:f.go:F#%d", i)})
	}
	a := Sample(3)(ms)
	rev := append([]Mutant(nil), ms...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	assert.Equal(t, a, Sample(3)(rev))
	assert.Len(t, a, 3)
	assert.Len(t, Sample(30)(ms), 20)
}
