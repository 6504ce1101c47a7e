package progress

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

const (
	lockWait   = 30 * time.Second // how long Update waits for another process's lock
	staleAfter = 10 * time.Second // a lock file this old was left by a process that died
)

// lockExclusive takes the lock by creating path with O_EXCL, which works on
// every system and file system; unlock removes it. Update holds the lock for
// a read and a write of a small file, milliseconds, so a lock file older than
// staleAfter was left by a process that died holding it, and is removed.
// (Two processes that find the same stale file at once may both remove it;
// that needs a process to die inside those milliseconds first.)
func lockExclusive(path string) (unlock func(), err error) {
	deadline := time.Now().Add(lockWait)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid()) // for a person looking at a left lock
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if info, err := os.Stat(path); err == nil && time.Since(info.ModTime()) > staleAfter {
			os.Remove(path)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s is held by another kata process (remove it if none is running)", path)
		}
		time.Sleep(delay)
	}
}
