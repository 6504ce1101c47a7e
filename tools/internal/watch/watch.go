// Package watch reports changes to the files of one directory, for the
// course tool's watch command. It follows saves however an editor makes
// them (writing in place, or writing a new file and renaming it over the
// old one), waits for a burst of events to settle before it reports, and can
// poll instead of using file-system events, which WSL's Windows drives and
// network file systems do not deliver.
package watch

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options configure Watch. The zero value watches with file-system events
// and DefaultQuiet.
type Options struct {
	// Poll, if positive, polls the directory at this interval instead of
	// using file-system events.
	Poll time.Duration
	// Quiet is how long no change must arrive before a burst of changes is
	// reported as one. Zero means DefaultQuiet.
	Quiet time.Duration
	// Match selects the file names that count; nil means every file.
	Match func(name string) bool
}

// DefaultQuiet is the settle time for a burst of events: an editor's save is
// often several (create, write, chmod, rename) within a few milliseconds.
const DefaultQuiet = 200 * time.Millisecond

// Watch calls changed, from the calling goroutine, each time the matching
// files in dir have changed and then settled. Only changes of content
// count: a save that writes the same bytes, or touches a file that does not
// match, is not reported. Watch returns nil when ctx is done, having stopped
// everything it started, or an error if the directory cannot be watched (the
// caller may then fall back to polling).
func Watch(ctx context.Context, dir string, opts Options, changed func()) error {
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.Match == nil {
		opts.Match = func(string) bool { return true }
	}
	last, err := snapshot(dir, opts.Match)
	if err != nil {
		return err
	}
	var events <-chan struct{}
	if opts.Poll > 0 {
		events = pollEvents(ctx, dir, opts.Match, opts.Poll, last)
	} else {
		w, err := fsnotify.NewWatcher()
		if err != nil {
			return fmt.Errorf("file-system events are not available (%v); try polling", err)
		}
		defer w.Close()
		if err := w.Add(dir); err != nil {
			return fmt.Errorf("watching %s: %v; try polling", dir, err)
		}
		events = notifyEvents(ctx, w, opts.Match)
	}

	var settle <-chan time.Time
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-events:
			if !ok {
				return nil
			}
			if timer == nil {
				timer = time.NewTimer(opts.Quiet)
			} else {
				timer.Reset(opts.Quiet)
			}
			settle = timer.C
		case <-settle:
			settle = nil
			now, err := snapshot(dir, opts.Match)
			if err != nil {
				continue // the directory is mid-change; the next event retries
			}
			if now != last {
				last = now
				changed()
			}
		}
	}
}

// notifyEvents turns the watcher's events for matching files into ticks on
// the returned channel, which is closed when ctx is done or the watcher
// stops.
func notifyEvents(ctx context.Context, w *fsnotify.Watcher, match func(string) bool) <-chan struct{} {
	out := make(chan struct{}, 1)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-w.Events:
				if !ok {
					return
				}
				if !match(filepath.Base(e.Name)) {
					continue
				}
				select {
				case out <- struct{}{}:
				default: // a tick is already pending
				}
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
			}
		}
	}()
	return out
}

// pollEvents looks at the directory every interval and ticks on the
// returned channel when its matching files differ from the last look. The
// channel is closed when ctx is done.
func pollEvents(ctx context.Context, dir string, match func(string) bool, interval time.Duration, last string) <-chan struct{} {
	out := make(chan struct{})
	go func() {
		defer close(out)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now, err := snapshot(dir, match)
			if err != nil || now == last {
				continue
			}
			last = now
			select {
			case out <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// snapshot is a hash of the names and contents of the matching files in dir.
func snapshot(dir string, match func(string) bool) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && match(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", name)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
