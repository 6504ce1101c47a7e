// Mistake: a panicking job is not recovered, so it crashes the whole program.
//
// An uncaught exception in a Node callback ends the process too, but a
// rejected promise does not, and that is the habit people bring. In Go a
// panic in any goroutine that nobody recovers ends every goroutine, the
// other workers and the server around them included.
//
// Replaces: worker.go
// Kind: panic
// Expect: image: corrupt PNG header

package workerpool

func run(job Job) (r Result) {
	r.ID = job.ID
	r.Value, r.Err = job.Run()
	return r
}
