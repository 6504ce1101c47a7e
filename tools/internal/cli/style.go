package cli

import (
	"io"
	"os"
)

// Colour is used only when writing to a terminal and NO_COLOR is not set
// (https://no-color.org).
func useColour(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const (
	green  = "32"
	red    = "31"
	yellow = "33"
	dim    = "2"
	bold   = "1"
)

// paint wraps s in an ANSI colour when w is a terminal.
func paint(w io.Writer, colour, s string) string {
	if !useColour(w) {
		return s
	}
	return "\x1b[" + colour + "m" + s + "\x1b[0m"
}

func stateColour(state string) string {
	switch state {
	case statePassed:
		return green
	case stateFailing:
		return red
	case stateChanged:
		return yellow
	}
	return dim
}
