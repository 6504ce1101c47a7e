// Package evidence is what the course's test kit and the course tool agree on
// about a test's output: the machine-readable marker lines by which the kit
// says what kind of failure it saw, and the one reading of the evidence Go
// prints, goroutine dumps (runtime.Stack's and goleak's) and race reports,
// trimmed to a lesson's files.
//
// The kit (lessons/internal/katatest) writes markers and trims dumps with
// this package; the tool (tools/internal/diagnose) finds the markers and
// trims the same dumps the same way. A lesson's prose never decides a kind:
// only a marker line, or one of the Go runtime's own signals, does.
package evidence

import (
	"fmt"
	"io"
	"strings"
)

// Prefix starts every marker. A marker is a line whose text, after optional
// leading white space (go test indents a test's messages), is Prefix, a kind
// word and, optionally, a space and the name of the test it is about:
//
//	##kata:hang TestDeposit
const Prefix = "##kata:"

// A Kind is the word after Prefix.
type Kind string

// The kinds the kit reports. The course tool reads Hang and Deadlock as
// one kind of failure, a deadlock or hang; Deadlock says more: the
// goroutines were seen waiting for each other.
const (
	Hang     Kind = "hang"     // a test made no progress (its watchdog fired, or a child process ran past its bound)
	Deadlock Kind = "deadlock" // a deadlock forced and detected by a test (Isolate's deadlock detector)
	Leak     Kind = "leak"     // goroutines outlived the code that started them
	Race     Kind = "race"     // a race report, relayed from a child process
)

// Known reports whether k is one of the kinds above.
func (k Kind) Known() bool {
	switch k {
	case Hang, Deadlock, Leak, Race:
		return true
	}
	return false
}

// A Marker is one marker line.
type Marker struct {
	Kind Kind
	Test string // the test it is about; "" when it is about the whole package
}

// String is the marker line without its newline: "##kata:leak TestX".
func (m Marker) String() string {
	if m.Test == "" {
		return Prefix + string(m.Kind)
	}
	return Prefix + string(m.Kind) + " " + m.Test
}

// Line returns the marker line for kind and test, with its newline.
func Line(kind Kind, test string) string {
	return Marker{Kind: kind, Test: test}.String() + "\n"
}

// Write writes the marker line for kind and test to w.
func Write(w io.Writer, kind Kind, test string) error {
	_, err := io.WriteString(w, Line(kind, test))
	return err
}

// Find returns the markers in output, in order. Words that are not a known
// Kind are returned too; the caller decides what an unknown word means.
func Find(output string) []Marker {
	var out []Marker
	for _, line := range strings.Split(output, "\n") {
		if m, ok := Parse(line); ok {
			out = append(out, m)
		}
	}
	return out
}

// Parse reads one line as a marker.
func Parse(line string) (Marker, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), Prefix)
	if !ok {
		return Marker{}, false
	}
	kind, test, _ := strings.Cut(rest, " ")
	if kind == "" {
		return Marker{}, false
	}
	return Marker{Kind: Kind(kind), Test: strings.TrimSpace(test)}, true
}

// IsMarker reports whether line is a marker line.
func IsMarker(line string) bool {
	_, ok := Parse(line)
	return ok
}

// Has reports whether output holds a marker of kind k.
func Has(output string, k Kind) bool {
	for _, m := range Find(output) {
		if m.Kind == k {
			return true
		}
	}
	return false
}

// Signal reports whether some line of output starts, after optional leading
// white space, with prefix: how the Go runtime's own signals ("panic: ",
// "WARNING: DATA RACE") are found, so that a message quoting one in the
// middle of a sentence does not count.
func Signal(output, prefix string) bool {
	for _, line := range strings.Split(output, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), prefix) {
			return true
		}
	}
	return false
}

// Errorf is for messages that carry a marker through testing.T: it returns
// the marker line followed by the formatted text, starting on a new line so
// that the marker stands at the start of its line in go test's output.
func Errorf(kind Kind, test, format string, args ...any) string {
	return "\n" + Line(kind, test) + fmt.Sprintf(format, args...)
}
