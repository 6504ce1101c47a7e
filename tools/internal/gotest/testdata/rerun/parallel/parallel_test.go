// Package parallel has parallel tests, left waiting when a sequential test
// ends the binary.
package parallel

import "testing"

func TestP1(t *testing.T) { t.Parallel() }

func TestP2(t *testing.T) { t.Parallel() }

func TestX(t *testing.T) { panic("X ends the binary") }
