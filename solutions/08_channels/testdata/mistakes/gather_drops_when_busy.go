// Mistake: Gather forwards each source's events with a send that gives up.
//
// Each source gets a channel of its own, and a forwarder passes its events
// on with `select { case events <- e: default: }`. With a few events that
// arrive at different times the receiving loop is always waiting; when
// many sources send at once, the loop is busy with one event while the
// others are dropped.
//
// Replaces: gather.go
// Kind: test failed
// Expect: events were lost

package channels

import "sync"

func Gather(sources ...Source) []string {
	events := make(chan string)
	var wg sync.WaitGroup
	for _, src := range sources {
		own := make(chan string)
		wg.Go(func() {
			go func() { defer close(own); src(own) }()
			for e := range own {
				select {
				case events <- e:
				default: // Gather busy: drop
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(events)
	}()
	var got []string
	for e := range events {
		got = append(got, e)
	}
	return got
}
