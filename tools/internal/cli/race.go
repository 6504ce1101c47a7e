package cli

import (
	"context"
	"path/filepath"
	"sync"

	"github.com/gokatas/concurrency/tools/internal/gotest"
)

// toolchainCache remembers where test2json is, below the repository root.
const toolchainCache = ".kata/toolchain.json"

// toolchain probes the go command once per run of the tool.
var toolchain = sync.OnceValues(func() (gotest.Toolchain, error) {
	return gotest.Probe(context.Background())
})

// test2json is the test2json program to run directly, or "" to let gotest
// run `go tool test2json`.
func test2json(ctx context.Context, root string) string {
	tc, err := toolchain()
	if err != nil || tc.Test2JSON != "" {
		return tc.Test2JSON
	}
	path, err := gotest.FindTest2JSON(ctx, tc.GoVersion, filepath.Join(root, filepath.FromSlash(toolchainCache)))
	if err != nil {
		return ""
	}
	return path
}

// raceSupport reports whether -race can work here; tests replace it to act
// out a machine without a C compiler.
var raceSupport = func(ctx context.Context) (bool, string) {
	tc, err := toolchain()
	if err != nil {
		return false, err.Error()
	}
	return tc.Race, tc.NoRaceWhy
}
