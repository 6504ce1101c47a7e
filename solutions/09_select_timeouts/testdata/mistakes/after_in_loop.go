// Mistake: each beat waits a fresh interval with time.After.
//
// The loop looks like a ticker, but every time.After starts counting when
// the previous beat has ended, so the beat's own duration is added to
// every interval: with 300ms beats every second, the beats come at 1s,
// 2.3s, 3.6s. The schedule drifts, which a load balancer that expects a
// beat every second reads as a dying peer. (setTimeout chained from the
// callback drifts the same way; setInterval does not.)
//
// Replaces: heartbeat.go
// Kind: test failed
// Expect: the schedule drifts

package selecttimeouts

import (
	"context"
	"time"
)

// Heartbeat calls beat every interval until ctx is done.
func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
			beat()
		}
	}
}
