// Package chain has two tests that each end the test binary.
package chain

import "testing"

func TestA(t *testing.T) { panic("A ends the binary") }

func TestB(t *testing.T) {}

func TestC(t *testing.T) { panic("C ends the binary") }

func TestD(t *testing.T) {}
