// Package boundedconcurrency is lesson 13: many calls to a database at
// once, but never more than it can take. Three tools hold the limit:
// errgroup's SetLimit (ForEach), a weighted semaphore for jobs of different
// sizes (RunWeighted), and a plain channel used as a semaphore (Limiter).
package boundedconcurrency

import "context"

// A Query is one call to the database, for the item with index i: load the
// orders of the i-th customer, say. It returns soon after ctx is done, with
// an error. The tests provide the queries; they count how many run at once.
type Query func(ctx context.Context, i int) error
