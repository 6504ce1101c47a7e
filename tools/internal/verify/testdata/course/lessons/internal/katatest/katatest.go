// Package katatest stands in for the course test kit, with the parts that
// the lesson `kata new` writes uses.
package katatest

import (
	"fmt"
	"os"
	"testing"
)

// Main runs the tests.
func Main(m *testing.M) { os.Exit(m.Run()) }

// Bubble runs f; the real kit runs it in a synctest bubble.
func Bubble(t *testing.T, hint int, f func(t *testing.T)) { f(t) }

// Failure words a failure.
type Failure struct {
	Want, Got, Means string
	Hint             int
}

func (f Failure) String() string {
	return fmt.Sprintf("expected: %s\ngot: %s\nmeans: %s\nhint: %d", f.Want, f.Got, f.Means, f.Hint)
}
