//go:build !unix

package gotest

import "os/exec"

// killGroup leaves exec's default in place: when the context ends, the
// command is killed. Its child test binary then stops when its own
// -test.timeout fires, which Run sets whenever it has a bound.
func killGroup(cmd *exec.Cmd) {}
