package streams

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// errDisk is the error of a log that fails half-way, as a file on a dying
// disk or a connection that drops does.
var errDisk = errors.New("read /var/log/access.log: input/output error")

// An entry is one request of a test log: what its line says.
type entry struct {
	method, path string
	status       int
	bytes        int64
}

func (e entry) line() string { return fmt.Sprintf("%s %s %d %d", e.method, e.path, e.status, e.bytes) }

var (
	methods  = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	statuses = []int{200, 200, 201, 204, 200, 304, 404, 500, 200, 503, 302, 200}
)

// entries makes n requests, each different from the one before: methods,
// statuses and sizes vary, and so do the paths and their lengths (10 to
// about 90 bytes).
func entries(n int) []entry {
	es := make([]entry, n)
	for i := range es {
		path := fmt.Sprintf("/api/orders/%d", i*7919%100003)
		if i%3 == 0 {
			path += "/items?page=" + strings.Repeat("9", i%61)
		}
		es[i] = entry{
			method: methods[i%len(methods)],
			path:   path,
			status: statuses[i%len(statuses)],
			bytes:  int64(i * 131 % 99991),
		}
	}
	return es
}

// logText writes es as a log, each line ended by ending ("\n" or "\r\n"),
// the last line too if final is true.
func logText(es []entry, ending string, final bool) string {
	var b strings.Builder
	for i, e := range es {
		b.WriteString(e.line())
		if i < len(es)-1 || final {
			b.WriteString(ending)
		}
	}
	return b.String()
}

// summaryOf is the test's own count of es, written without Summary.Add.
func summaryOf(es []entry) Summary {
	var s Summary
	for _, e := range es {
		s.Requests++
		s.Bytes += e.bytes
		if e.status >= 500 && e.status <= 599 {
			s.ServerErrors++
		}
	}
	return s
}

// paddedEntry is a well-formed request whose line is exactly n bytes long:
// its path is padded with 'x'.
func paddedEntry(n int) entry {
	e := entry{method: "GET", path: "/", status: 200, bytes: 7}
	e.path += strings.Repeat("x", n-len(e.line()))
	return e
}

// namesLine reports whether err's text names line n ("line 7: ..."), and
// not some other line whose number starts with the same digits.
func namesLine(err error, n int) bool {
	return err != nil && regexp.MustCompile(fmt.Sprintf(`\bline %d\b`, n)).MatchString(err.Error())
}

// errStr is err's text, or "nil".
func errStr(err error) string {
	if err == nil {
		return "nil"
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// sumStr shows a Summary in a message.
func sumStr(s Summary) string {
	return fmt.Sprintf("{Requests: %d, Bytes: %d, ServerErrors: %d}", s.Requests, s.Bytes, s.ServerErrors)
}

// failAfter is a reader that returns data and then err: as a separate read
// (io.MultiReader's way), or, with together set, in the same read as the
// last bytes, as the io.Reader contract allows ("process the n > 0 bytes
// returned before considering the error").
type failAfter struct {
	data     []byte
	err      error
	together bool
}

func (f *failAfter) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	if len(f.data) == 0 && f.together {
		return n, f.err
	}
	return n, nil
}

// counting counts the bytes read through it. The count is atomic: the test
// reads it from another goroutine than the one reading.
type counting struct {
	r io.Reader
	n atomic.Int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// A bigLog is a log of size bytes generated as it is read: a block of
// lines repeated, so that it costs no memory of its own whatever its size,
// and the test knows what it holds. Every sampleEvery bytes, and at its
// end, it measures the heap, and keeps the highest value seen.
type bigLog struct {
	head   []byte // returned first, once
	block  []byte // then this, again and again
	size   int64  // the bytes it returns in all
	served int64  // the bytes returned so far

	next   int64 // where the next sample is due
	sample []metrics.Sample
	peak   uint64
}

// heapMetric is the memory occupied by heap objects. Right after a
// collection (runtime.GC sweeps before it returns) that is the live heap:
// what the reader holds on to, without the garbage it made. io.ReadAll's
// buffer is live until it returns, so it shows there in full; the garbage
// of a program that allocates a string per line does not, since it does
// not stay: collected, it costs a streaming program nothing.
const heapMetric = "/memory/classes/heap/objects:bytes"

// sampleEvery is how often, in bytes read, a bigLog measures the heap.
const sampleEvery = 8 << 20

// newBigLog is a log of about size bytes made of copies of es, ended by
// "\n" except for the very last line. It returns the log and its Summary.
func newBigLog(es []entry, size int64) (*bigLog, Summary) {
	block := []byte(logText(es, "\n", true))
	copies := size / int64(len(block))
	per := summaryOf(es)
	want := Summary{Requests: per.Requests * copies, Bytes: per.Bytes * copies, ServerErrors: per.ServerErrors * copies}
	g := &bigLog{block: block, size: copies*int64(len(block)) - 1} // no "\n" after the last line
	g.sample = []metrics.Sample{{Name: heapMetric}}
	return g, want
}

// heap collects the garbage and returns the live heap.
func (g *bigLog) heap() uint64 {
	runtime.GC()
	metrics.Read(g.sample)
	return g.sample[0].Value.Uint64()
}

func (g *bigLog) Read(p []byte) (int, error) {
	if g.served >= g.size {
		g.measure()
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && g.served < g.size {
		src := g.head
		off := g.served
		if off >= int64(len(g.head)) {
			src = g.block
			off = (off - int64(len(g.head))) % int64(len(g.block))
		}
		end := min(int64(len(src)), off+g.size-g.served)
		c := copy(p[n:], src[off:end])
		n += c
		g.served += int64(c)
	}
	if g.served >= g.next {
		g.measure()
		g.next = g.served + sampleEvery
	}
	return n, nil
}

func (g *bigLog) measure() {
	if g.sample != nil { // the benchmarks do not measure
		g.peak = max(g.peak, g.heap())
	}
}

// heapGrowth runs f on g and returns by how much the live heap grew above
// what it held before, at its highest while f read g. It runs with the
// garbage collector at its default pace (GOGC=100), whatever the
// environment says, so that garbage between two samples stays small.
func heapGrowth(g *bigLog, f func(r io.Reader)) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	base := g.heap()
	g.peak = base
	g.next = sampleEvery
	f(g)
	g.measure()
	return g.peak - base
}

// newHugeLine is a log of a good first line and then a second line of
// size 'x's with no line ending, generated as a bigLog is (and sampling the
// heap as it goes).
func newHugeLine(size int64) *bigLog {
	head := []byte(entry{method: "GET", path: "/health", status: 200, bytes: 2}.line() + "\n")
	return &bigLog{
		head:   head,
		block:  bytes.Repeat([]byte("x"), 1<<16),
		size:   int64(len(head)) + size,
		sample: []metrics.Sample{{Name: heapMetric}},
	}
}

// mib writes n bytes in MiB.
func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// Benchmarks: the solution beside a plain bufio.Scanner loop that parses
// and adds the same records (the simplest code there is, with no limit
// and no line numbers), a bare scanner that only finds the lines (the
// floor), and io.ReadAll (the mistake). The log is generated as it is
// read, without measuring the heap. Run them with
//
//	go test -run '^$' -bench . -benchmem ./lessons/17_streams/
//
// and compare MB/s and B/op: the scanners hold a buffer, io.ReadAll a copy
// of the log and more.
func BenchmarkSummarize(b *testing.B) {
	const size = 64 << 20
	tmpl, want := newBigLog(entries(1000), size)
	tmpl.sample = nil
	for _, c := range []struct {
		name string
		f    func(io.Reader) (Summary, error)
	}{
		{"Summarize", Summarize},
		{"ScannerLoop", scannerLoop},
		{"ScannerOnly", scannerOnly},
		{"ReadAll", readAllSummarize},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				g := *tmpl
				got, err := c.f(&g)
				if err != nil || c.name != "ScannerOnly" && got != want {
					b.Fatalf("%s, %v; want %s", sumStr(got), err, sumStr(want))
				}
			}
		})
	}
}

// scannerLoop is the plain loop: a default bufio.Scanner, every line parsed
// and added, no error checked but the scanner's.
func scannerLoop(r io.Reader) (Summary, error) {
	var s Summary
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rec, err := ParseRecord(sc.Bytes())
		if err != nil {
			return s, err
		}
		s.Add(rec)
	}
	return s, sc.Err()
}

// scannerOnly finds the lines and nothing more.
func scannerOnly(r io.Reader) (Summary, error) {
	var s Summary
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		s.Requests++
	}
	return s, sc.Err()
}

// readAllSummarize is the mistake the lesson is about: the whole log in
// memory, then split into lines.
func readAllSummarize(r io.Reader) (Summary, error) {
	var s Summary
	data, err := io.ReadAll(r)
	if err != nil {
		return s, err
	}
	for line := range bytes.Lines(data) {
		rec, err := ParseRecord(bytes.TrimSuffix(line, []byte("\n")))
		if err != nil {
			return s, err
		}
		s.Add(rec)
	}
	return s, nil
}
