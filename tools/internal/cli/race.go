package cli

import "github.com/gokatas/concurrency/tools/internal/gotest"

// raceSupport is gotest.RaceSupport; tests replace it to act out a machine
// without a C compiler.
var raceSupport = gotest.RaceSupport
