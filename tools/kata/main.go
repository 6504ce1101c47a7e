// Command kata is the course tool of Go Concurrency Katas: it shows where you
// are in the course, checks a lesson and explains what its tests found, and
// verifies the course for maintainers.
//
//	go run ./tools/kata            the course at a glance
//	go run ./tools/kata check 3    run lesson 03's tests and explain the result
//	go run ./tools/kata help       every command
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/gokatas/concurrency/tools/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
