// Mistake: a timer re-armed to start + n*every beats every missed slot after a slow beat.
//
// The schedule is kept exact with a timer re-armed to the next multiple of
// every after each beat. After a beat longer than every, the deadlines
// already passed fire at once, one after another: every missed tick is
// beaten in a burst when the long beat ends, instead of being dropped as a
// time.Ticker drops them.
//
// Replaces: heartbeat.go
// Kind: test failed
// Expect: beaten in a burst

package selecttimeouts

import (
	"context"
	"time"
)

func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	start := time.Now()
	n := 1
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			beat()
			n++
			t.Reset(time.Until(start.Add(time.Duration(n) * every)))
		}
	}
}
