package evidence

import (
	"fmt"
	"regexp"
	"strings"
)

// RaceSignal is the line with which the race detector starts a report.
const RaceSignal = "WARNING: DATA RACE"

// A RaceReport is one report of the race detector.
type RaceReport struct {
	Accesses []Section // the two conflicting accesses, the later first
	Creators []Section // where the goroutines that made them were created
}

// A Section is one part of a race report: its heading ("Read at 0x... by
// goroutine 8:", "Goroutine 8 (running) created at:") and its stack.
type Section struct {
	Heading string
	Frames  []Frame
}

var (
	accessHeading  = regexp.MustCompile(`^(?:Previous )?(?:[Aa]tomic )?(?i:read|write) at 0x[0-9a-f]+ by .+:$`)
	creatorHeading = regexp.MustCompile(`^Goroutine \d+ \(\w+\) created at:$`)
	addresses      = regexp.MustCompile(`0x[0-9a-f]+`)
	goroutineIDs   = regexp.MustCompile(`[Gg]oroutine \d+( \(\w+\))?`)
)

// ParseRaces reads every race report in text. Parts other than the accesses
// and the goroutines' creation (the mutexes held, the location of the
// memory) are left out.
func ParseRaces(text string) []RaceReport {
	var out []RaceReport
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != RaceSignal {
			continue
		}
		var r RaceReport
		for i++; i < len(lines); i++ {
			h := strings.TrimSpace(lines[i])
			if strings.HasPrefix(h, "==================") || h == RaceSignal {
				break
			}
			isAccess, isCreator := accessHeading.MatchString(h), creatorHeading.MatchString(h)
			if !isAccess && !isCreator {
				continue
			}
			next, frames := parseFrames(lines, i+1)
			s := Section{Heading: h, Frames: frames}
			if isAccess {
				r.Accesses = append(r.Accesses, s)
			} else {
				r.Creators = append(r.Creators, s)
			}
			i = next - 1
		}
		out = append(out, r)
		i-- // the line that ended it may start the next report
	}
	return out
}

// Trim formats r for a learner: each section's heading, then its frames in
// d; a section with no frame in d keeps its innermost frame, which is then
// the only clue (time.goFunc: a timer's callback ran the code).
func (r RaceReport) Trim(d Dir) string {
	var b strings.Builder
	for _, s := range append(append([]Section(nil), r.Accesses...), r.Creators...) {
		b.WriteString(s.Heading + "\n")
		kept := 0
		for _, f := range s.Frames {
			if d.Has(f.File) {
				b.WriteString(frameLine(f, d))
				kept++
			}
		}
		if kept == 0 && len(s.Frames) > 0 {
			b.WriteString(frameLine(s.Frames[0], d))
		}
	}
	return b.String()
}

// TrimRaces returns the race reports in text, each trimmed to d, showing
// once reports that differ only in addresses and goroutine numbers (the same
// race on another element, by other goroutines).
func TrimRaces(text string, d Dir) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range ParseRaces(text) {
		t := r.Trim(d)
		key := goroutineIDs.ReplaceAllString(addresses.ReplaceAllString(t, "0x"), "goroutine")
		if t == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, t)
	}
	return out
}

func frameLine(f Frame, d Dir) string {
	return fmt.Sprintf("    %-50s %s:%d\n", f.Short(), d.Rel(f.File), f.Line)
}
