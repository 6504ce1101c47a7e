package verify

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Counts returns how many checks passed (skipped ones count as passed) and
// how many failed.
func Counts(checks []Check) (passed, failed int) {
	for _, c := range checks {
		if c.OK || c.Skipped {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}

// WriteTable writes the checks as a table, the details of every failure
// below it, and a last line "N passed, N failed".
func WriteTable(w io.Writer, checks []Check) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LESSON\tCHECK\tRESULT\tTIME\tDETAIL")
	for _, c := range checks {
		d := ""
		if c.Duration > 0 {
			d = c.Duration.Round(10 * time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Lesson, c.Name, verdict(c), d, firstLine(c.Detail))
	}
	tw.Flush()
	for _, c := range checks {
		if !c.OK && !c.Skipped && strings.Contains(c.Detail, "\n") {
			fmt.Fprintf(w, "\n%s, %s:\n%s\n", c.Lesson, c.Name, indent(c.Detail))
		}
	}
	passed, failed := Counts(checks)
	fmt.Fprintf(w, "\n%d passed, %d failed\n", passed, failed)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
