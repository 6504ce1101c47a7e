// Mistake: the ticker is reset after every beat.
//
// `ticker.Reset(every)` after each beat looks like a way to keep the
// interval exact, but it restarts the period when the beat ends, so each
// beat's own duration is added to the schedule, as with time.After in the
// loop: with 300ms beats every second, the beats come at 1s, 2.3s, 3.6s.
//
// Replaces: heartbeat.go
// Kind: test failed
// Expect: the schedule drifts

package selecttimeouts

import (
	"context"
	"time"
)

func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			beat()
			ticker.Reset(every)
		}
	}
}
