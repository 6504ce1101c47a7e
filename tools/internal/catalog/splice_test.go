package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const spliceSolution = `package shop

import (
	"strings"
	"sync"
)

// Limit is how many views are kept.
const Limit = 3

// A Shop counts views.
type Shop struct {
	mu    sync.Mutex // protects views
	views map[string]int
}

// View counts one view of id.
func (s *Shop) View(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(id)
}

func (s *Shop) record(id string) { s.views[norm(id)]++ }

func norm(id string) string { return strings.ToLower(id) }

func init() { _ = Limit }
`

func TestSplice(t *testing.T) {
	mistake := `// Mistake: View takes no lock.
//
// Replaces: shop.go
// Removes: Shop.record
// Kind: data race
// Expect: WARNING: DATA RACE

package shop

import "fmt"

func (s *Shop) View(id string) {
	s.views[norm(id)]++ // no lock
	fmt.Sprint()
}

func helper() {}

func init() { _ = Limit }
`
	got, err := Splice("nolock.go", []byte(spliceSolution), []byte(mistake), []string{"Shop.record"})
	require.NoError(t, err)
	src := string(got)
	assert.True(t, strings.HasPrefix(src, "// Mistake: View takes no lock.\n"), "the mistake's header comes first:\n%s", src)
	assert.Contains(t, src, "// View counts one view of id.\nfunc (s *Shop) View(id string) {\n\ts.views[norm(id)]++ // no lock", "the mistake's View, under the solution's doc comment")
	assert.NotContains(t, src, "s.mu.Lock()")
	assert.NotContains(t, src, "func (s *Shop) record", "Removes: Shop.record")
	assert.Contains(t, src, "func norm(id string)", "what the mistake does not mention stays")
	assert.Contains(t, src, "func helper() {}\n", "a declaration the solution lacks is added")
	assert.Equal(t, 1, strings.Count(src, "func init()"), "an init that both have is there once")
	assert.Contains(t, src, "import (\n\t\"fmt\"\n\t\"strings\"\n\t\"sync\"\n)", "the imports both files use")

	_, err = Splice("bad.go", []byte(spliceSolution), []byte("// Mistake: x\npackage shop\n"), []string{"Shop.gone"})
	assert.ErrorContains(t, err, `"// Removes: Shop.gone", but the solution declares no Shop.gone`)
	_, err = Splice("other.go", []byte(spliceSolution), []byte("package other\n"), nil)
	assert.ErrorContains(t, err, "package other, but the solution's file is package shop")
}

// TestSpliceBlocks: a block of consts or a type replaces every block of
// the solution that declares one of its names, and an import only the
// replaced code used goes.
func TestSpliceBlocks(t *testing.T) {
	mistake := `// Mistake: a bigger limit, and no strings.
package shop

const (
	Limit = 4
	Extra = 1
)

func norm(id string) string { return id }
`
	got, err := Splice("limit.go", []byte(spliceSolution), []byte(mistake), nil)
	require.NoError(t, err)
	src := string(got)
	assert.Contains(t, src, "Limit = 4")
	assert.NotContains(t, src, "const Limit = 3")
	assert.NotContains(t, src, `"strings"`, "no code uses strings any more")
	assert.Contains(t, src, `"sync"`)
}

// TestMinimize: Minimize keeps what differs, drops an unchanged doc
// comment and the unchanged declarations, names what is gone, and Splice
// turns the result back into the same file.
func TestMinimize(t *testing.T) {
	full := strings.Replace(spliceSolution, "\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\ts.record(id)\n", "\ts.views[norm(id)]++\n", 1)
	full = strings.Replace(full, "func (s *Shop) record(id string) { s.views[norm(id)]++ }\n", "", 1)
	full = strings.Replace(full, "func init() { _ = Limit }\n", "", 1)
	full = "// Mistake: no lock.\n\n" + full
	min, removes, ok, err := Minimize("nolock.go", []byte(strings.Replace(spliceSolution, "func init() { _ = Limit }\n", "", 1)), []byte(full))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, []string{"Shop.record"}, removes)
	assert.Equal(t, "// Mistake: no lock.\n\npackage shop\n\nfunc (s *Shop) View(id string) {\n\ts.views[norm(id)]++\n}\n", string(min))

	_, _, ok, err = Minimize("x.go", []byte(spliceSolution), []byte(full))
	require.NoError(t, err)
	assert.False(t, ok, "a solution with an init function: kept whole")

	withInit := full + "\nfunc init() { _ = Limit }\n"
	min, _, ok, err = Minimize("x.go", []byte(spliceSolution), []byte(withInit))
	require.NoError(t, err)
	require.True(t, ok, "the solution's init, unchanged in the mistake: it is cut like any other")
	assert.NotContains(t, string(min), "func init()")
}
