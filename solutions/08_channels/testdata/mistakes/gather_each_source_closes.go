// Mistake: every source's goroutine closes the shared channel when it ends.
//
// "The sender closes" is right for one sender. With several, the first
// one to finish closes the channel while the others are still sending:
// their next send panics, and the second close panics too ("close of closed
// channel"), which ends the program. (With no sources at all nobody closes,
// so this version special-cases that; it passes TestGather_NoSources.)
//
// Replaces: gather.go
// Kind: data race
// Expect: close of closed channel

package channels

// A Source sends zero or more events on out and returns.
type Source func(out chan<- string)

// Gather runs every source at the same time and returns their events.
func Gather(sources ...Source) []string {
	if len(sources) == 0 {
		return nil
	}
	events := make(chan string)
	for _, src := range sources {
		go func() {
			defer close(events)
			src(events)
		}()
	}
	var got []string
	for e := range events {
		got = append(got, e)
	}
	return got
}
