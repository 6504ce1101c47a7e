package mutate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gokatas/concurrency/tools/internal/atomicfile"
	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/verify"
)

// RecordFile is where a lesson's mutation record lives, relative to its
// solution directory.
const RecordFile = "testdata/mutation.json"

// A Record is a lesson's mutation result as committed: the counts, the hash
// of what they depend on, and every mutant with its verdict. A maintainer
// turns a survivor that no test can kill into an equivalent one by setting
// its verdict to "equivalent" and giving the reason, which `kata mutate
// --write` keeps while the mutant's ID stays the same.
type Record struct {
	Lesson       string           `json:"lesson"`
	Operators    string           `json:"operators"` // Version, for the reader; the hash covers it
	Hash         string           `json:"hash"`
	Total        int              `json:"total"`
	Killed       int              `json:"killed"`
	Survived     int              `json:"survived"`
	Equivalent   int              `json:"equivalent"`
	NotCompiling int              `json:"not_compiling"`
	Score        float64          `json:"score"`
	Mutants      []RecordedMutant `json:"mutants"`
}

// A RecordedMutant is one mutant in a record.
type RecordedMutant struct {
	ID      string `json:"id"`
	Verdict string `json:"verdict"`
	Desc    string `json:"desc"`
	Reason  string `json:"reason,omitempty"` // for an equivalent mutant: why no test can tell it from the solution
}

// ErrNoRecord is returned by ReadRecord for a lesson without a record.
var ErrNoRecord = errors.New("no mutation record")

// RecordPath is the lesson's record file.
func RecordPath(l *catalog.Lesson) string {
	return filepath.Join(l.SolutionPath(), filepath.FromSlash(RecordFile))
}

// ReadRecord reads the lesson's record.
func ReadRecord(l *catalog.Lesson) (*Record, error) {
	data, err := os.ReadFile(RecordPath(l))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoRecord
	}
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", RecordPath(l), err)
	}
	return &r, nil
}

// applyRecord marks as equivalent the survivors that rec calls equivalent,
// with its reasons. A mutant that rec calls equivalent but that the tests
// now kill is killed: the record's reason was wrong or the tests got sharper.
func (r *Result) applyRecord(rec *Record) {
	reasons := map[string]string{}
	for _, m := range rec.Mutants {
		if m.Verdict == Equivalent {
			reasons[m.ID] = m.Reason
		}
	}
	for i, o := range r.Mutants {
		if reason, ok := reasons[o.ID]; ok && o.Verdict == Survived {
			r.Mutants[i].Verdict = Equivalent
			r.Mutants[i].Reason = reason
		}
	}
}

// Record is the result as a record to commit.
func (r *Result) Record() *Record {
	rec := &Record{Lesson: r.Lesson, Operators: Version, Hash: r.Hash, Total: r.Total, Killed: r.Killed,
		Survived: r.Survived, Equivalent: r.Equivalent, NotCompiling: r.NotCompiling, Score: r.Score}
	for _, o := range r.Mutants {
		rec.Mutants = append(rec.Mutants, RecordedMutant{ID: o.ID, Verdict: o.Verdict, Desc: o.Desc, Reason: o.Reason})
	}
	return rec
}

// WriteRecord writes the result as the lesson's record.
func WriteRecord(l *catalog.Lesson, r *Result) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.Record()); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(RecordPath(l)), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(RecordPath(l), buf.Bytes())
}

// CheckRecord checks, without running any test, that the lesson's record
// is current and good enough: its hash is that of the lesson's tests and
// solution now, it lists exactly the mutants the operators derive today,
// its counts add up, every equivalent mutant has a reason, and its score is
// at least MinScore. It returns ErrNoRecord if there is no record.
func CheckRecord(s *verify.Scratch, l *catalog.Lesson) (*Record, error) {
	rec, err := ReadRecord(l)
	if err != nil {
		return nil, err
	}
	var problems []string
	if h := Hash(s); rec.Hash != h {
		problems = append(problems, fmt.Sprintf("the record is stale: it was made for %s, the lesson's tests and solution are now %s; run `go run ./tools/kata mutate %d --write`", rec.Hash, h, l.Number))
	}
	mutants, err := Mutants(s)
	if err != nil {
		return rec, err
	}
	recorded := map[string]RecordedMutant{}
	counts := map[string]int{}
	for _, m := range rec.Mutants {
		recorded[m.ID] = m
		counts[m.Verdict]++
		if m.Verdict == Equivalent && m.Reason == "" {
			problems = append(problems, fmt.Sprintf("equivalent mutant %s has no reason", m.ID))
		}
	}
	if len(mutants) != len(rec.Mutants) {
		problems = append(problems, fmt.Sprintf("the operators derive %d mutants, the record lists %d", len(mutants), len(rec.Mutants)))
	}
	for _, m := range mutants {
		if _, ok := recorded[m.ID]; !ok {
			problems = append(problems, "mutant "+m.ID+" is not in the record")
		}
	}
	if counts[Killed] != rec.Killed || counts[Survived] != rec.Survived || counts[Equivalent] != rec.Equivalent ||
		counts[NotCompiling] != rec.NotCompiling || rec.Total != rec.Killed+rec.Survived+rec.Equivalent {
		problems = append(problems, "the record's counts do not add up to its mutants")
	}
	if score := Score(counts[Killed], counts[Killed]+counts[Survived]+counts[Equivalent], counts[Equivalent]); score < MinScore {
		problems = append(problems, fmt.Sprintf("mutation score %.1f%%, below %.0f%%: %d survivors to kill with sharper tests or to record as equivalent with a reason",
			100*score, 100*MinScore, counts[Survived]))
	}
	if len(problems) > 0 {
		return rec, errors.New(strings.Join(problems, "\n"))
	}
	return rec, nil
}
