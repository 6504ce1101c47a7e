// The reference solutions are not built where they stand: a solution file
// replaces its lesson's starter and uses the lesson's contract files and
// tests, so the course tool lays it over the lesson in a scratch copy and
// builds it there (kata verify's "solution" and "solution vet" checks).
// This file keeps solutions/ out of the course's module, so that
// `go build ./...` and `go vet ./...` at the root see only what builds.
module github.com/gokatas/concurrency/solutions

go 1.26.0
