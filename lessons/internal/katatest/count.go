package katatest

import "fmt"

// Count returns n followed by noun, in the plural unless n is 1, so that a
// message reads right for any count: Count(1, "attempt") is "1 attempt",
// Count(3, "attempt") is "3 attempts". A noun whose plural is not noun+"s"
// gives its plural after a slash: Count(2, "entry/entries").
func Count[N ~int | ~int32 | ~int64](n N, noun string) string {
	one, many := noun, noun+"s"
	for i := range noun {
		if noun[i] == '/' {
			one, many = noun[:i], noun[i+1:]
			break
		}
	}
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Times is Count for how often something happened: "once", "2 times".
func Times[N ~int | ~int32 | ~int64](n N) string {
	if n == 1 {
		return "once"
	}
	return Count(n, "time")
}
