//go:build unix

package gotest

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd the leader of a new process group and, when its
// context ends, kills the whole group: the go command and the test binary it
// started.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
