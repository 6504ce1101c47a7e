package cli

import (
	"path/filepath"

	"github.com/gokatas/concurrency/tools/internal/atomicfile"
)

// writeFile writes data to the file at rel (slash-separated) below root,
// atomically.
func writeFile(root, rel string, data []byte) error {
	return atomicfile.Write(filepath.Join(root, filepath.FromSlash(rel)), data)
}
