//go:build !unix

package progress

// lock takes the exclusive lock on path: a lock file created with O_EXCL,
// where flock(2) is not available.
func lock(path string) (unlock func(), err error) { return lockExclusive(path) }
