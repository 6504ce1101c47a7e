// Package pristine records what the course's lesson files looked like when
// the course was published, and answers whether a file on disk still matches.
//
// The record is lessons/pristine.sum: one line per lesson file, its git blob
// hash and its path below lessons/, sorted by path:
//
//	3b18e512dba79e4c8300dd08aeb37f8e728b8dad  01_goroutines/goroutines.go
//
// Every file of a lesson directory is recorded: the files to edit, the
// contract files and the tests that lessons/course.json declares, and the
// README and hints. Git blob hashes serve three uses at once: they tell
// whether a file to edit is pristine (so the course verification knows a
// failing starter is the course's, not a learner's half-done work), they
// tell whether a learner changed a protected file, a test or a contract
// file (so a pass means the course's tests passed against the course's
// contract), and they let `kata reset` take the original file from the
// repository's own objects with `git cat-file`, offline, even after the
// learner committed over it. Which file is which kind is the catalogue's
// business (catalog.Lesson); this package only hashes and compares.
package pristine

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// File is the record's path below the repository root.
const File = "lessons/pristine.sum"

// Sums maps a path below lessons/ ("01_goroutines/goroutines.go", always with
// forward slashes) to its git blob hash.
type Sums map[string]string

// Hash returns the git blob hash of data: what `git hash-object` prints.
func Hash(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// HashFile returns the git blob hash of the file at name.
func HashFile(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	return Hash(data), nil
}

// Load reads the record from the repository at root.
func Load(root string) (Sums, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(File)))
	if err != nil {
		return nil, fmt.Errorf("reading the pristine record: %w", err)
	}
	return Parse(data)
}

// Parse reads a record.
func Parse(data []byte) (Sums, error) {
	sums := Sums{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		hash, name, ok := strings.Cut(line, "  ")
		if !ok || len(hash) != 40 || name == "" {
			return nil, fmt.Errorf("%s:%d: want \"<git blob hash>  <path>\", got %q", File, n, line)
		}
		sums[name] = hash
	}
	return sums, sc.Err()
}

// Format writes the record, sorted by path.
func (s Sums) Format() []byte {
	names := make([]string, 0, len(s))
	for name := range s {
		names = append(names, name)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteString("# The published lesson files and their git blob hashes. Written by `go run ./tools/kata pristine`.\n")
	for _, name := range names {
		fmt.Fprintf(&b, "%s  %s\n", s[name], name)
	}
	return b.Bytes()
}

// Scan hashes every file in the given lesson directories (below
// root/lessons), as the record would hold them now.
func Scan(root string, lessonDirs []string) (Sums, error) {
	sums := Sums{}
	for _, dir := range lessonDirs {
		entries, err := os.ReadDir(filepath.Join(root, "lessons", dir))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			h, err := HashFile(filepath.Join(root, "lessons", dir, e.Name()))
			if err != nil {
				return nil, err
			}
			sums[path.Join(dir, e.Name())] = h
		}
	}
	return sums, nil
}

// Lesson returns the recorded files of one lesson directory, by file name.
func (s Sums) Lesson(dir string) map[string]string {
	out := map[string]string{}
	for name, h := range s {
		if d, file, ok := strings.Cut(name, "/"); ok && d == dir {
			out[file] = h
		}
	}
	return out
}

// Status is how a lesson file on disk compares with the record.
type Status int

const (
	Same    Status = iota // the file matches the record
	Changed               // the file differs from the record
	Missing               // the record has the file, the disk does not
	Unknown               // the disk has the file, the record does not
)

func (s Status) String() string {
	return [...]string{"same", "changed", "missing", "not in the record"}[s]
}

// Compare reports, for every file the record or the disk has in the lesson
// directory dir, how it compares. Files that are the same are included.
func (s Sums) Compare(root, dir string) (map[string]Status, error) {
	out := map[string]Status{}
	recorded := s.Lesson(dir)
	for name, want := range recorded {
		got, err := HashFile(filepath.Join(root, "lessons", dir, name))
		switch {
		case os.IsNotExist(err):
			out[name] = Missing
		case err != nil:
			return nil, err
		case got == want:
			out[name] = Same
		default:
			out[name] = Changed
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, "lessons", dir))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if _, ok := recorded[e.Name()]; !ok && !e.IsDir() {
			out[e.Name()] = Unknown
		}
	}
	return out, nil
}

// Content returns the recorded content of a file: from disk if the file
// there still matches, otherwise from the git objects of the repository at
// root. It fails if neither has it (a copy of the course without .git).
func (s Sums) Content(root, name string) ([]byte, error) {
	want, ok := s[name]
	if !ok {
		return nil, fmt.Errorf("%s is not in %s", name, File)
	}
	if data, err := os.ReadFile(filepath.Join(root, "lessons", filepath.FromSlash(name))); err == nil && Hash(data) == want {
		return data, nil
	}
	cmd := exec.Command("git", "cat-file", "blob", want)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("the original of lessons/%s is not on disk and git cannot give it (%v: %s); "+
			"in a clone of the course repository it can", name, err, strings.TrimSpace(stderr.String()))
	}
	if Hash(data) != want {
		return nil, fmt.Errorf("git returned a different file for lessons/%s", name)
	}
	return data, nil
}
