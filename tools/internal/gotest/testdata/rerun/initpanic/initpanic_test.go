// Package initpanic panics before any test starts.
package initpanic

import "testing"

var _ = func() int { panic("init") }()

func TestA(t *testing.T) {}
