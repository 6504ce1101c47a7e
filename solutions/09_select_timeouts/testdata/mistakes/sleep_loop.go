// Mistake: Heartbeat sleeps between beats and checks ctx only on waking.
//
// time.Sleep cannot be interrupted. When ctx is cancelled in the middle of
// an interval, Heartbeat finds out only when the sleep ends, up to a whole
// interval late, and a shutdown that waits for it waits that long too.
//
// Replaces: heartbeat.go
// Kind: test failed
// Expect: noticed the cancellation only when it woke up

package selecttimeouts

import (
	"context"
	"time"
)

// Heartbeat calls beat every interval until ctx is done.
func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	next := time.Now()
	for {
		next = next.Add(every)
		time.Sleep(time.Until(next))
		if ctx.Err() != nil {
			return
		}
		beat()
	}
}
