// Package exit has a test that calls os.Exit, as a watchdog does.
package exit

import (
	"os"
	"testing"
)

func TestA(t *testing.T) { os.Exit(3) }

func TestB(t *testing.T) {}
