package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Format returns course.json as the course tool writes it: two-space
// indentation, one line per lesson, fields in a fixed order. The course's
// own test checks that lessons/course.json is in this form, so that a tool
// that rewrites it (kata new) changes only what it means to change.
func (c *Course) Format() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"title\": %s,\n  \"parts\": [\n", jsonText(c.Title))
	for i, p := range c.Parts {
		fmt.Fprintf(&b, "    {\n      \"number\": %d,\n      \"title\": %s,\n      \"lessons\": [\n", p.Number, jsonText(p.Title))
		for j, l := range p.Lessons {
			fmt.Fprintf(&b, "        %s%s\n", lessonLine(l), comma(j, len(p.Lessons)))
		}
		fmt.Fprintf(&b, "      ]\n    }%s\n", comma(i, len(c.Parts)))
	}
	b.WriteString("  ]\n}\n")
	return b.Bytes()
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

// lessonLine is one lesson's entry on one line, its fields in the order of
// lessonJSON, the optional ones only when set.
func lessonLine(l *Lesson) string {
	fields := []string{
		`"dir": ` + jsonText(l.Dir),
		`"title": ` + jsonText(l.Title),
		`"node": ` + jsonText(l.Node),
		fmt.Sprintf(`"minutes": %d`, l.Minutes),
	}
	list := func(key string, names []string) {
		if len(names) > 0 {
			quoted := make([]string, len(names))
			for i, n := range names {
				quoted[i] = jsonText(n)
			}
			fields = append(fields, fmt.Sprintf(`"%s": [%s]`, key, strings.Join(quoted, ", ")))
		}
	}
	list("edit", l.Edit)
	list("contract", l.Contract)
	if l.Budget > 0 {
		fields = append(fields, `"budget": `+jsonText(l.Budget.String()))
	}
	return "{" + strings.Join(fields, ", ") + "}"
}

// jsonText is s as a JSON string, with <, > and & left as they are.
func jsonText(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// AddLesson makes dir ("26_scratch") a lesson of the course with the given
// title and one file to edit, <slug>.go, and returns it; the caller writes
// the files and saves Format. A planned lesson with the same number becomes
// this lesson, keeping its part, Node idea and minutes. A number the course
// does not list is added to the part of the nearest lesson before it (or
// the first part), in number order. It is an error if a written lesson has
// that number.
func (c *Course) AddLesson(dir, title string) (*Lesson, error) {
	num, slug, err := ParseDir(dir)
	if err != nil {
		return nil, err
	}
	if len(c.Parts) == 0 {
		return nil, fmt.Errorf("%s has no parts to add a lesson to", CourseFile)
	}
	edit := []string{slug + ".go"}
	for _, l := range c.Lessons {
		switch {
		case l.Number != num && l.Dir != dir:
			continue
		case !l.Planned:
			return nil, fmt.Errorf("lesson %s already exists", l.Dir)
		case l.Number != num:
			return nil, fmt.Errorf("%s is listed as lesson %d", l.Dir, l.Number)
		}
		l.Dir, l.Slug, l.Title, l.Edit = dir, slug, title, edit
		l.Planned = false
		return l, nil
	}
	p := c.Parts[0]
	for _, l := range c.Lessons {
		if l.Number < num {
			p = l.Part
		}
	}
	l := &Lesson{Number: num, Slug: slug, Dir: dir, Title: title, Node: "TODO: the Node.js idea it answers",
		Minutes: 45, Part: p, Edit: edit, root: c.Root}
	at := len(p.Lessons)
	for i, o := range p.Lessons {
		if o.Number > num {
			at = i
			break
		}
	}
	p.Lessons = slices.Insert(p.Lessons, at, l)
	c.Lessons = c.Lessons[:0]
	for _, p := range c.Parts {
		c.Lessons = append(c.Lessons, p.Lessons...)
	}
	return l, nil
}

// Path is where course.json lives below the course root.
func (c *Course) Path() string { return filepath.Join(c.Root, filepath.FromSlash(CourseFile)) }
