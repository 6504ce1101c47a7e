// Package crash has a test whose goroutine panics, which ends the test
// binary before the tests after it run.
package crash

import (
	"testing"
	"time"
)

func TestA(t *testing.T) {}

func TestB(t *testing.T) {
	go func() { panic("boom") }()
	time.Sleep(time.Minute)
}

func TestC(t *testing.T) {}

func TestD(t *testing.T) { t.Fatal("D fails on its own") }

func BenchmarkE(b *testing.B) {}
