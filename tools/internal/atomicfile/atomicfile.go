// Package atomicfile writes files so that a reader, or a crash, sees either
// the old content or the new, never half of it.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path, creating its directory if needed: it writes a
// temporary file beside path and renames it into place.
func Write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Copy copies the file at from to to, with Write.
func Copy(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return Write(to, data)
}
