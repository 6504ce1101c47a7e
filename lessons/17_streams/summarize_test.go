package streams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// memoryBound is how much the heap may grow while Summarize reads a log of
// bigSize bytes: a scanner's buffer and a little garbage fit many times
// over; a copy of the log does not.
const memoryBound = 16 << 20

// checkSummary fails the test unless Summarize returned want and a nil error.
func checkSummary(t *testing.T, what string, got Summary, err error, want Summary) {
	t.Helper()
	if err == nil && got == want {
		return
	}
	f := katatest.Failure{
		Want: fmt.Sprintf("%s, nil (%s)", sumStr(want), what),
		Got:  fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
		Hint: 1,
	}
	switch {
	case got == (Summary{}) && err == nil:
		f.Means = "nothing was counted: read r line by line with a bufio.Scanner and Add every record"
	case err != nil && errors.Is(err, ErrMalformed):
		f.Means = "a good line was taken for a bad one: it was cut in two, or kept its \\r, or an empty line " +
			"was made up at the end of the log"
	case err != nil:
		f.Means = "every line of this log is a record of MaxLine bytes or less: Summarize must count them all without an error"
	case got.Requests > want.Requests:
		f.Means = "more lines were counted than the log has: a line split between two reads was counted twice"
	case got.Requests == want.Requests-1:
		f.Means = "one line was lost: the last one, which has no \\n in this log? The bytes that come with io.EOF are a line too"
	default:
		f.Means = "lines were lost"
	}
	t.Error(f)
}

// Task 1: a log of 600 requests, one a line, is summed exactly.
func TestSummarize_SmallLog(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		es := entries(600)
		got, err := Summarize(strings.NewReader(logText(es, "\n", true)))
		checkSummary(t, "600 lines, each ended by \\n", got, err, summaryOf(es))
	})
}

// Task 1: the last line of a log often has no "\n"; it is a record too.
func TestSummarize_LastLineWithoutNewline(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		es := entries(600)
		want := summaryOf(es)
		got, err := Summarize(strings.NewReader(logText(es, "\n", false)))
		if err == nil && got.Requests == want.Requests-1 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%s, nil: 600 lines, the last without \\n", sumStr(want)),
				Got:   fmt.Sprintf("%s, nil", sumStr(got)),
				Means: "the last line without a newline was lost: the bytes read together with io.EOF are a line too",
				Hint:  2,
			})
		}
		checkSummary(t, "600 lines, the last without \\n", got, err, want)
	})
}

// Task 1: lines written on Windows end in "\r\n".
func TestSummarize_CRLF(t *testing.T) {
	for _, c := range []struct {
		name    string
		final   bool
		oneByte bool
	}{
		{"final_newline", true, false},
		{"no_final_newline", false, false},
		{"OneByteReader", true, true}, // "\r" and "\n" come in two reads
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 2, func(t *testing.T) {
				es := entries(300)
				var r io.Reader = strings.NewReader(logText(es, "\r\n", c.final))
				if c.oneByte {
					r = iotest.OneByteReader(r)
				}
				got, err := Summarize(r)
				if errors.Is(err, ErrMalformed) && strings.Contains(err.Error(), `\r`) {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s, nil: 300 lines ended by \\r\\n", sumStr(summaryOf(es))),
						Got:   fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
						Means: "the \\r of \\r\\n was left at the end of the line: split lines the way bufio.ScanLines does",
						Hint:  2,
					})
				}
				checkSummary(t, "300 lines ended by \\r\\n", got, err, summaryOf(es))
			})
		})
	}
}

// Task 1: an empty log is an empty summary.
func TestSummarize_EmptyLog(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		got, err := Summarize(strings.NewReader(""))
		if got != (Summary{}) || err != nil {
			t.Error(katatest.Failure{
				Want:  "{Requests: 0, Bytes: 0, ServerErrors: 0}, nil: an empty log",
				Got:   fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
				Means: "an empty log has no lines, not one empty line",
				Hint:  2,
			})
		}
	})
}

// cutReader returns its data in reads of the sizes it is given, in turn:
// lines and line endings are cut wherever the sizes fall.
type cutReader struct {
	data  string
	sizes []int
	i     int
}

func (c *cutReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), c.sizes[c.i%len(c.sizes)])
	c.i++
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// Task 1: a reader returns what it has, in chunks of any size; the lines
// run across them.
func TestSummarize_ChunkBoundaries(t *testing.T) {
	es := entries(1500) // about 75 KB: more than a scanner's buffer holds
	text := logText(es, "\r\n", false)
	small := logText(es[:20], "\r\n", false)
	for _, c := range []struct {
		name string
		r    func() io.Reader
	}{
		{"OneByteReader", func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) }},
		{"HalfReader", func() io.Reader { return iotest.HalfReader(strings.NewReader(text)) }},
		{"DataErrReader", func() io.Reader { return iotest.DataErrReader(strings.NewReader(text)) }},
		{"DataErrReader_OneByteReader", func() io.Reader {
			return iotest.DataErrReader(iotest.OneByteReader(strings.NewReader(text)))
		}},
		{"odd_sizes", func() io.Reader { return &cutReader{data: text, sizes: []int{1, 7, 4093, 2, 4097, 31, 65537}} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 2, func(t *testing.T) {
				got, err := Summarize(c.r())
				want := summaryOf(es)
				// What goes wrong only with chunks is a chunking bug: a small
				// log, which fits in one read, must come out right first.
				if (err != nil || got != want) && summarizes(small, summaryOf(es[:20])) {
					f := katatest.Failure{
						Want: fmt.Sprintf("%s, nil: the same 1500 lines, read in other chunks", sumStr(want)),
						Got:  fmt.Sprintf("%s, %s (and 20 lines in one read come out right)", sumStr(got), errStr(err)),
						Means: "a record split across two reads was miscounted: each chunk was taken for whole lines. " +
							"Keep the end of a chunk until the rest of its line arrives (bufio.Scanner does)",
						Hint: 2,
					}
					if strings.HasPrefix(c.name, "DataErrReader") {
						f.Means = "the bytes returned together with io.EOF were dropped: a Read may return n > 0 and " +
							"an error at once, and the n bytes come first"
					}
					t.Fatal(f)
				}
				checkSummary(t, "1500 lines read in chunks of any size", got, err, want)
			})
		})
	}
}

// summarizes reports whether Summarize gets text right from a plain
// strings.Reader.
func summarizes(text string, want Summary) bool {
	got, err := Summarize(strings.NewReader(text))
	return err == nil && got == want
}

// Task 1: the first bad line ends the summary, and the error names it.
func TestSummarize_Malformed(t *testing.T) {
	for _, c := range []struct {
		name, bad string
	}{
		{"no_size", "GET /api/orders/1 200"},
		{"empty_line", ""},
		{"two_spaces", "GET  /api/orders/1 200 12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 1, func(t *testing.T) {
				es := entries(20)
				text := logText(es[:6], "\n", true) + c.bad + "\n" + logText(es[6:], "\n", true)
				got, err := Summarize(strings.NewReader(text))
				want := summaryOf(es[:6])
				if !errors.Is(err, ErrMalformed) || !namesLine(err, 7) || got != want {
					t.Error(katatest.Failure{
						Want: fmt.Sprintf("%s and an error wrapping ErrMalformed that says \"line 7\": "+
							"line 7 is %q, the summary is that of lines 1 to 6", sumStr(want), c.bad),
						Got: fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
						Means: "a bad line must stop the summary with an error that names the line, " +
							"wrapped with %w: the on-call engineer needs its number to find it",
						Hint: 1,
					})
				}
			})
		})
	}
}

// checkTooLong fails the test unless Summarize returned want and an error
// wrapping ErrLineTooLong that names line n.
func checkTooLong(t *testing.T, got Summary, err error, want Summary, n, length, after int) {
	t.Helper()
	if errors.Is(err, ErrLineTooLong) && namesLine(err, n) && got == want {
		return
	}
	f := katatest.Failure{
		Want: fmt.Sprintf("%s and an error wrapping ErrLineTooLong that says \"line %d\": line %d has %d bytes, "+
			"MaxLine is %d, and the summary is that of lines 1 to %d", sumStr(want), n, n, length, MaxLine, n-1),
		Got:  fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
		Hint: 3,
	}
	switch {
	case err == nil && got == (Summary{}):
		f.Means = "nothing was counted: read r line by line with a bufio.Scanner and Add every record"
	case err == nil && got.Requests == want.Requests+1+int64(after):
		f.Means = "a line longer than MaxLine was counted: compare each line's length with MaxLine"
	case err == nil && got.Requests == want.Requests && after > 0:
		f.Means = "the scanner stopped with bufio.ErrTooLong and Scanner.Err() was not checked: " +
			"the rest of the log was lost silently, and the summary looks complete"
	case err == nil:
		f.Means = "the long line was dropped silently: it was skipped, or it stopped the scanner with " +
			"bufio.ErrTooLong and Scanner.Err() was not checked. The summary is wrong and nothing says so"
	case errors.Is(err, ErrMalformed):
		f.Means = "the long line was cut in pieces, and a piece was taken for a line: silent truncation. " +
			"Report the whole line as too long"
	case errors.Is(err, bufio.ErrTooLong) || !errors.Is(err, ErrLineTooLong):
		f.Means = "the error does not wrap ErrLineTooLong: bufio.ErrTooLong returned as it is " +
			"does not say which line. Wrap ErrLineTooLong with the line's number"
	case !namesLine(err, n):
		f.Means = fmt.Sprintf("the error does not name the line: it must say \"line %d\", counting from 1", n)
	default:
		f.Means = "the summary must be that of the lines before the long one"
	}
	t.Error(f)
}

// Task 3: a line of exactly MaxLine bytes is a record like the others.
func TestSummarize_LineAtTheLimit(t *testing.T) {
	for _, c := range []struct {
		name, ending string
		final        bool
	}{
		{"lf", "\n", true}, {"crlf", "\r\n", true}, {"last_line", "\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 3, func(t *testing.T) {
				es := entries(10)
				es = append(es, paddedEntry(MaxLine))
				got, err := Summarize(strings.NewReader(logText(es, c.ending, c.final)))
				if errors.Is(err, ErrLineTooLong) {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("%s, nil: line 11 has exactly MaxLine (%d) bytes", sumStr(summaryOf(es)), MaxLine),
						Got:   fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
						Means: "off by one: a line of MaxLine bytes is allowed, and its line ending does not count",
						Hint:  3,
					})
				}
				checkSummary(t, "line 11 has exactly MaxLine bytes", got, err, summaryOf(es))
			})
		})
	}
}

// Task 3: a line one byte longer than MaxLine is an error, although
// ParseRecord would take it; so is a line longer than a scanner's buffer.
func TestSummarize_LineTooLong(t *testing.T) {
	for _, c := range []struct {
		name   string
		length int
		final  bool
	}{
		{"MaxLine_plus_1", MaxLine + 1, true},
		{"MaxLine_plus_1_last_line", MaxLine + 1, false},
		{"100KiB", 100 << 10, true},
		{"200KiB_last_line", 200 << 10, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 3, func(t *testing.T) {
				es := entries(40)
				after := es[8:]
				if !c.final {
					after = nil // the long line is the last, without "\n"
				}
				long := append(append(es[:8:8], paddedEntry(c.length)), after...)
				got, err := Summarize(strings.NewReader(logText(long, "\n", c.final)))
				checkTooLong(t, got, err, summaryOf(es[:8]), 9, c.length, len(after))
			})
		})
	}
}

// Task 3: a read error half-way is returned, with the summary of the lines
// read before it, whether it comes alone or with the last bytes.
func TestSummarize_ReadError(t *testing.T) {
	es := entries(400)
	text := logText(es, "\n", true)
	for _, c := range []struct {
		name string
		r    func() io.Reader
	}{
		{"alone", func() io.Reader { return io.MultiReader(strings.NewReader(text), iotest.ErrReader(errDisk)) }},
		{"with_the_last_bytes", func() io.Reader { return &failAfter{data: []byte(text), err: errDisk, together: true} }},
		{"OneByteReader", func() io.Reader {
			return iotest.OneByteReader(&failAfter{data: []byte(text), err: errDisk, together: true})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 3, func(t *testing.T) {
				got, err := Summarize(c.r())
				want := summaryOf(es)
				if errors.Is(err, errDisk) && got == want {
					return
				}
				f := katatest.Failure{
					Want: fmt.Sprintf("%s and an error wrapping %q: 400 lines were read before the disk failed",
						sumStr(want), errDisk),
					Got:  fmt.Sprintf("%s, %s", sumStr(got), errStr(err)),
					Hint: 3,
				}
				switch {
				case err == nil:
					f.Means = "the read error was lost: Scanner.Err() was not checked, so a log cut short by a " +
						"failing disk looks complete"
				case errors.Is(err, ErrMalformed):
					f.Means = "a good line was taken for a bad one: every line of this log is a record"
				case !errors.Is(err, errDisk):
					f.Means = "the error does not wrap the reader's error: wrap it with %w"
				case got.Requests < want.Requests:
					f.Means = "lines were lost: the bytes a Read returns together with an error must be used first, " +
						"and the summary so far returned with the error"
				default:
					f.Means = "the summary must be that of the lines read before the error"
				}
				t.Error(f)
			})
		})
	}
}

// Task 2: 256 MiB of log (32 MiB under -race), made as it is read, in
// 16 MiB of heap.
func TestSummarize_BoundedMemory(t *testing.T) {
	katatest.Watchdog(t, 4)
	g, want := newBigLog(entries(1000), bigSize)
	var got Summary
	var err error
	grew := heapGrowth(g, func(r io.Reader) { got, err = Summarize(r) })
	if grew > memoryBound {
		t.Errorf("%v", katatest.Failure{
			Want: fmt.Sprintf("the heap grows by at most %s while Summarize reads a log of %s", mib(memoryBound), mib(bigSize)),
			Got:  fmt.Sprintf("it grew by %s", mib(grew)),
			Means: "the whole input was read into memory (io.ReadAll, os.ReadFile, a huge buffer): " +
				"memory grows with the log, and a big enough log ends the process. Hold one line at a time",
			Hint: 4,
		})
	}
	checkSummary(t, fmt.Sprintf("%d lines, %s", want.Requests, mib(uint64(g.size))), got, err, want)
}

// Task 2: a line that never ends is an error found in bounded memory too,
// not a buffer that grows until the line fits.
func TestSummarize_HugeLine(t *testing.T) {
	katatest.Watchdog(t, 4)
	g := newHugeLine(bigSize)
	var got Summary
	var err error
	grew := heapGrowth(g, func(r io.Reader) { got, err = Summarize(r) })
	if grew > memoryBound {
		t.Errorf("%v", katatest.Failure{
			Want: fmt.Sprintf("the heap grows by at most %s while Summarize reads a line of %s", mib(memoryBound), mib(bigSize)),
			Got:  fmt.Sprintf("it grew by %s", mib(grew)),
			Means: "the whole line was held in memory before its length was checked (ReadString, ReadBytes, " +
				"a Scanner.Buffer as big as anything): one line with no end is enough to end the process",
			Hint: 4,
		})
	}
	checkTooLong(t, got, err, Summary{Requests: 1, Bytes: 2}, 2, bigSize, 0)
}
