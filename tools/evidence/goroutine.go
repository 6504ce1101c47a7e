package evidence

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// A Frame is one call in a stack.
type Frame struct {
	Func      string // as printed, with the import path and arguments: "example.com/x.(*T).M(0xc0000)"
	File      string // the source file, with forward slashes
	Line      int
	CreatedBy bool // the "created by" frame: the go statement that started the goroutine
}

// Short is the function without its import path and arguments:
// "x.(*T).M", "created by x.Start in goroutine 7".
func (f Frame) Short() string {
	fn := f.Func
	prefix := ""
	if rest, ok := strings.CutPrefix(fn, "created by "); ok {
		prefix, fn = "created by ", rest
	}
	if i := strings.LastIndex(fn, "("); i > 0 && strings.HasSuffix(fn, ")") {
		fn = fn[:i]
	}
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	return prefix + fn
}

// A Goroutine is one goroutine of a dump.
type Goroutine struct {
	ID     int
	State  string // what is in the header's brackets: "chan receive, synctest bubble 3"
	Frames []Frame
}

// Header is the goroutine's first line in the runtime's format, whatever
// format it was read from: "goroutine 7 [chan receive]:".
func (g Goroutine) Header() string {
	return fmt.Sprintf("goroutine %d [%s]:", g.ID, g.State)
}

// Reason is the goroutine's wait reason, the first part of its state:
// "sync.Mutex.Lock" for "sync.Mutex.Lock, 2 minutes", "running" for
// "running, synctest bubble 3".
func (g Goroutine) Reason() string {
	reason, _, _ := strings.Cut(g.State, ", ")
	return reason
}

// waitsForOthers are the wait reasons of a goroutine that only another
// goroutine can wake, or nothing can.
var waitsForOthers = map[string]bool{
	"sync.Mutex.Lock":         true,
	"sync.RWMutex.RLock":      true,
	"sync.RWMutex.Lock":       true,
	"sync.WaitGroup.Wait":     true,
	"sync.Cond.Wait":          true,
	"chan send":               true,
	"chan receive":            true,
	"chan send (nil chan)":    true,
	"chan receive (nil chan)": true,
	"select (no cases)":       true,
}

// WaitsForOthers reports whether g's wait reason is one that only another
// goroutine can end: it waits for a lock, a channel, a WaitGroup or a Cond
// (or, in a select with no cases, forever). A goroutine that sleeps, or
// waits in a select, may be woken by a timer; one that runs, or is in a
// system call, may yet do anything. When every goroutine that could wake g
// also waits for others, in one dump of all goroutines (taken with the
// world stopped), none of them can ever move again.
func (g Goroutine) WaitsForOthers() bool { return waitsForOthers[g.Reason()] }

// Bubble is the synctest bubble g is in, as its state names it ("synctest
// bubble 3"), or "" when g is in none.
func (g Goroutine) Bubble() string {
	for _, part := range strings.Split(g.State, ", ") {
		if strings.HasPrefix(part, "synctest bubble ") {
			bubble, _, _ := strings.Cut(part, " labels:")
			return bubble
		}
	}
	return ""
}

// String is g in the format of runtime.Stack, without the program counter
// offsets: its header, then each frame's function and, indented by a tab,
// its file and line. ParseGoroutines reads it back as g.
func (g Goroutine) String() string {
	var b strings.Builder
	b.WriteString(g.Header() + "\n")
	for _, f := range g.Frames {
		fmt.Fprintf(&b, "%s\n\t%s:%d\n", f.Func, f.File, f.Line)
	}
	return b.String()
}

var (
	// runtime.Stack: "goroutine 7 [chan receive]:", with GOTRACEBACK=2
	// "goroutine 7 gp=0xc000 m=nil [running]:".
	runtimeHeader = regexp.MustCompile(`^goroutine (\d+)(?: [^\[]*)? \[(.*)\]:$`)
	// goleak: "[Goroutine 8 in state select (no cases), with x.f on top of the stack:".
	goleakHeader = regexp.MustCompile(`^\[Goroutine (\d+) in state (.*), with \S+ on top of the stack:$`)
	// A file line: "\t/src/x/y.go:31 +0x3a".
	fileLine = regexp.MustCompile(`^(.+):(\d+)(?: \+0x[0-9a-f]+)?$`)
)

// ParseHeader reads a goroutine header line of either format.
func ParseHeader(line string) (Goroutine, bool) {
	line = strings.TrimSpace(line)
	m := runtimeHeader.FindStringSubmatch(line)
	if m == nil {
		m = goleakHeader.FindStringSubmatch(line)
	}
	if m == nil {
		return Goroutine{}, false
	}
	id, _ := strconv.Atoi(m[1])
	return Goroutine{ID: id, State: m[2]}, true
}

// ParseGoroutines reads every goroutine of the dumps in text: the format of
// runtime.Stack (also a panic's or a test timeout's dump) and of goleak's
// report. Other lines between the dumps are ignored.
func ParseGoroutines(text string) []Goroutine {
	var out []Goroutine
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		g, ok := ParseHeader(lines[i])
		if !ok {
			continue
		}
		var frames []Frame
		i, frames = parseFrames(lines, i+1)
		g.Frames = frames
		out = append(out, g)
		i-- // the line that ended the stack may start the next goroutine
	}
	return out
}

// parseFrames reads the frames that start at lines[i], up to a blank line,
// a goroutine header or goleak's closing "]", and returns the index after
// them.
func parseFrames(lines []string, i int) (int, []Frame) {
	var frames []Frame
	for ; i < len(lines); i++ {
		fn := strings.TrimSpace(lines[i])
		if fn == "" || fn == "]" {
			return i + 1, frames
		}
		if _, ok := ParseHeader(fn); ok {
			return i, frames
		}
		if i+1 >= len(lines) {
			break
		}
		f, ok := parseFileLine(lines[i+1])
		if !ok {
			if strings.HasPrefix(fn, "...") {
				continue // "...additional frames elided..."
			}
			return i, frames // the end of the stack: "==================", a message
		}
		f.Func = fn
		f.CreatedBy = strings.HasPrefix(fn, "created by ")
		frames = append(frames, f)
		i++
	}
	return i, frames
}

func parseFileLine(line string) (Frame, bool) {
	if line == strings.TrimLeft(line, " \t") {
		return Frame{}, false // a file line is indented
	}
	m := fileLine.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		return Frame{}, false
	}
	n, _ := strconv.Atoi(m[2])
	return Frame{File: strings.ReplaceAll(m[1], `\`, "/"), Line: n}, true
}

// CurrentID returns the goroutine ID in a dump of the calling goroutine
// alone (runtime.Stack(buf, false)), or 0. Compare goroutines by ID, never
// by header: the state in the header can change between two dumps of the
// same goroutine ("running (scan)" while the garbage collector looks at it).
func CurrentID(self string) int { return Current(self).ID }

// Current reads the header of a dump of the calling goroutine alone: its ID
// and state, without frames; the zero Goroutine if self is not a dump.
func Current(self string) Goroutine {
	first, _, _ := strings.Cut(self, "\n")
	g, _ := ParseHeader(first)
	return g
}

// Harness reports whether g belongs to the test machinery rather than to the
// code under test: a test waiting in T.Run for its subtests, a synctest
// bubble's own goroutines, the testing package's runner, the test binary's
// main goroutine (testing.M.Run on its stack), or the course's test kit
// itself (its watchdog, and a goroutine of the kit taking the dump).
func (g Goroutine) Harness() bool {
	if len(g.Frames) == 0 {
		return false
	}
	first := g.Frames[0].Func
	for _, p := range []string{"testing.(*T).Run(", "testing.(*M).Run(", "testing.runTests(", "testing.tRunner(",
		"internal/synctest.Run(", "testing/synctest.testingSynctestTest(", "testing/synctest.Test("} {
		if strings.HasPrefix(first, p) {
			return true
		}
	}
	for _, f := range g.Frames {
		if f.CreatedBy {
			continue
		}
		// The test binary's main goroutine, waiting for the tests (in T.Run,
		// or for parallel tests in tRunner), the kit's watchdog timer, and
		// any goroutine of the kit taking a dump.
		if strings.HasPrefix(f.Func, "testing.(*M).Run(") ||
			strings.Contains(f.Func, "katatest.WatchdogAfter.func") || strings.Contains(f.Func, "katatest.allStacksOf(") {
			return true
		}
	}
	return false
}

// A Dir names the learner's files: those in one directory, given as an
// absolute path ("/home/me/course/lessons/01_goroutines") or as its last
// elements ("01_goroutines", "lessons/01_goroutines").
type Dir string

func (d Dir) clean() string { return strings.Trim(strings.ReplaceAll(string(d), `\`, "/"), "/") }

// Has reports whether file is in d.
func (d Dir) Has(file string) bool {
	c := d.clean()
	if c == "" {
		return false
	}
	file = strings.ReplaceAll(file, `\`, "/")
	return strings.HasPrefix(file, c+"/") || strings.Contains(file, "/"+c+"/")
}

// Rel shortens file: relative to d when it is in d, else its last two
// elements ("sync/mutex.go").
func (d Dir) Rel(file string) string {
	file = strings.ReplaceAll(file, `\`, "/")
	if c := d.clean(); c != "" {
		if i := strings.LastIndex(file, "/"+c+"/"); i >= 0 {
			return file[i+len(c)+2:]
		}
		if rest, ok := strings.CutPrefix(file, c+"/"); ok {
			return rest
		}
	}
	parts := strings.Split(file, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return path.Join(parts...)
}

// Learner reports whether f is in the learner's code: in d and not in a
// test file.
func (d Dir) Learner(f Frame) bool {
	return d.Has(f.File) && !strings.HasSuffix(f.File, "_test.go")
}

// InLesson reports whether g has a frame in d.
func (g Goroutine) InLesson(d Dir) bool {
	for _, f := range g.Frames {
		if d.Has(f.File) {
			return true
		}
	}
	return false
}

// Learners reports whether g has a frame in the learner's code (not only in
// the lesson's tests).
func (g Goroutine) Learners(d Dir) bool {
	for _, f := range g.Frames {
		if d.Learner(f) {
			return true
		}
	}
	return false
}

// Stuck returns the goroutines of gs that the learner should look at: those
// with a frame in d, minus the test machinery.
func Stuck(gs []Goroutine, d Dir) []Goroutine {
	var out []Goroutine
	for _, g := range gs {
		if g.InLesson(d) && !g.Harness() {
			out = append(out, g)
		}
	}
	return out
}

// Leaked returns the goroutines of gs that are the learner's leak: those
// with a frame in the learner's code, minus the test machinery. A goroutine
// of the lesson's tests alone is not the learner's leak; when nothing else
// is left, Leaked returns Stuck(gs, d) so that the evidence is not lost.
func Leaked(gs []Goroutine, d Dir) []Goroutine {
	var out []Goroutine
	for _, g := range Stuck(gs, d) {
		if g.Learners(d) {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return Stuck(gs, d)
	}
	return out
}

// Format writes gs trimmed to d: each goroutine's header, then its frames
// in d and its innermost frame, which says what it is blocked in, with
// paths shortened. Goroutines that are the same apart from their ID are
// shown once, with how many there were.
func Format(gs []Goroutine, d Dir) string {
	type shown struct {
		g     Goroutine
		lines []string
		n     int
	}
	var order []*shown
	byKey := map[string]*shown{}
	for _, g := range gs {
		var lines []string
		for i, f := range g.Frames {
			if i == 0 || d.Has(f.File) {
				lines = append(lines, strings.TrimSuffix(frameLine(f, d), "\n"))
			}
		}
		key := goroutineIDs.ReplaceAllString(state(g.State)+"\n"+strings.Join(lines, "\n"), "goroutine")
		if s := byKey[key]; s != nil {
			s.n++
			continue
		}
		s := &shown{g: g, lines: lines, n: 1}
		byKey[key] = s
		order = append(order, s)
	}
	var b strings.Builder
	for _, s := range order {
		header := s.g.Header()
		if s.n > 1 {
			header = fmt.Sprintf("goroutine %d [%s] and %d more like it:", s.g.ID, s.g.State, s.n-1)
		}
		b.WriteString(header + "\n")
		for _, l := range s.lines {
			b.WriteString(l + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// state drops what differs between otherwise equal goroutines: the minutes
// waited, the bubble number.
func state(s string) string {
	var keep []string
	for _, part := range strings.Split(s, ", ") {
		if strings.HasSuffix(part, " minutes") || strings.HasPrefix(part, "synctest bubble ") {
			continue
		}
		keep = append(keep, part)
	}
	return strings.Join(keep, ", ")
}

// TrimStacks parses the dumps in text and formats the goroutines that
// Stuck keeps; "" if there are none.
func TrimStacks(text string, d Dir) string {
	return Format(Stuck(ParseGoroutines(text), d), d)
}

// TrimLeaks parses the dumps in text and formats the goroutines that
// Leaked keeps; "" if there are none.
func TrimLeaks(text string, d Dir) string {
	return Format(Leaked(ParseGoroutines(text), d), d)
}
