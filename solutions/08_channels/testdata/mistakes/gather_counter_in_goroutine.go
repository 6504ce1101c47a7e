// Mistake: "the last one out closes", with the count kept inside each goroutine.
//
// Each source's goroutine adds itself to a running count when it starts and
// the one that brings it back to zero closes the channel. A source that
// returns at once, before the others' goroutines have even started, brings
// the count to zero: the channel is closed early, and closed again later.
// Usually the goroutines start close together, and it seems to work.
// The early close races with the next source's send, which the race
// detector reports (without -race, the second close panics).
//
// Replaces: gather.go
// Kind: data race
// Expect: close of closed channel

package channels

import "sync"

// "last one out closes": each source decrements a counter and the one that
// reaches zero closes. Counter starts at 0 and is incremented as goroutines start.
func Gather(sources ...Source) []string {
	events := make(chan string)
	var mu sync.Mutex
	running := 0
	for _, src := range sources {
		go func() {
			mu.Lock()
			running++
			mu.Unlock()
			src(events)
			mu.Lock()
			running--
			last := running == 0
			mu.Unlock()
			if last {
				close(events)
			}
		}()
	}
	if len(sources) == 0 {
		close(events)
	}
	var got []string
	for e := range events {
		got = append(got, e)
	}
	return got
}
