package boundedconcurrency

import (
	"context"
	"errors"
)

// A Job is a piece of work that holds Weight units of the database's
// capacity while it runs: exporting a big table takes more connections
// than exporting a small one. Weight is at least 1.
type Job struct {
	Name   string
	Weight int64
	Run    func(ctx context.Context) error
}

// ErrTooHeavy is wrapped by the error RunWeighted returns when a job
// weighs more than the whole capacity, so that it could never start.
var ErrTooHeavy = errors.New("boundedconcurrency: job weighs more than the capacity")

// RunWeighted runs every job, each in a goroutine of its own, so that the
// weights of the jobs running at any moment add up to at most capacity. A
// job's weight is free for the next job as soon as the job returns.
//
// Jobs start in the order of the slice: a job that waits for room is not
// overtaken by lighter jobs behind it, even if they would fit. A job's
// goroutine is started only once the job has its room.
//
// Before it starts anything, RunWeighted checks every weight: if a job
// weighs more than capacity, RunWeighted runs no job and returns at once an
// error that wraps ErrTooHeavy and names that job.
//
// A job that fails does not stop the others. RunWeighted returns when
// every job it started has returned, with the errors of the failed jobs
// joined (errors.Join), each naming its job, or nil if none failed. If ctx
// is done while jobs still wait for room, those jobs never start, and the
// error RunWeighted returns includes ctx.Err().
func RunWeighted(ctx context.Context, capacity int64, jobs []Job) error {
	// TODO: check the weights, then admit each job with a weighted
	// semaphore (golang.org/x/sync/semaphore: NewWeighted, Acquire,
	// Release) before starting its goroutine, and collect the errors.
	return nil
}
