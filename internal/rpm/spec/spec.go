// Package spec is a lossless model of RPM spec files plus the line-oriented
// editing operations that implement azldev's spec overlays.
//
// A Spec is a list of physical lines, each stored with its own terminator, so
// Bytes reproduces the parsed input exactly. Lines are classified the way the
// reference tool does it (see BEHAVIOR.md section 2): section headers, tags in
// the preamble and %package sections, and %if/%endif conditionals. Macros and
// conditionals are never evaluated.
//
// Edited or inserted lines are always written in the normalized form (LF
// terminator, no trailing CR); Normalize converts the untouched lines too.
package spec

import (
	"bytes"
	"strings"
)

// eol identifies the terminator stored with a line.
type eol uint8

const (
	eolLF   eol = iota // "\n"
	eolCRLF            // "\r\n"
	eolCR              // "\r" at end of input without a newline
	eolNone            // end of input without a terminator
)

// terminators maps each eol to its bytes.
var terminators = [...]string{eolLF: "\n", eolCRLF: "\r\n", eolCR: "\r", eolNone: ""}

// line is one physical line: its text as a line scanner reports it (without
// the newline and without one carriage return right before it) and the
// terminator that followed it in the input.
type line struct {
	text string
	eol  eol
}

// Spec is a parsed spec file. The zero value is an empty spec.
type Spec struct {
	lines    []line
	sections []Section
}

// Parse splits data into lines and indexes its sections. It accepts any input.
func Parse(data []byte) *Spec {
	text := string(data)
	lines := make([]line, 0, bytes.Count(data, []byte{'\n'})+1)

	for text != "" {
		n := strings.IndexByte(text, '\n')
		if n < 0 {
			lines = append(lines, lastLine(text))

			break
		}

		l := line{text: text[:n], eol: eolLF}
		if n > 0 && text[n-1] == '\r' {
			l = line{text: text[:n-1], eol: eolCRLF}
		}

		lines = append(lines, l)
		text = text[n+1:]
	}

	s := &Spec{lines: lines}
	s.reindex()

	return s
}

// lastLine builds the final line of an input that lacks a trailing newline.
func lastLine(text string) line {
	if strings.HasSuffix(text, "\r") {
		return line{text: text[:len(text)-1], eol: eolCR}
	}

	return line{text: text, eol: eolNone}
}

// Bytes returns the spec's content: the parsed input, byte for byte, with any
// edits applied.
func (s *Spec) Bytes() []byte {
	size := 0
	for _, l := range s.lines {
		size += len(l.text) + len(terminators[l.eol])
	}

	out := make([]byte, 0, size)
	for _, l := range s.lines {
		out = append(out, l.text...)
		out = append(out, terminators[l.eol]...)
	}

	return out
}

// Normalize rewrites every line terminator to "\n", the form the reference
// tool writes: CRLF becomes LF and a missing final newline is added.
func (s *Spec) Normalize() {
	for i := range s.lines {
		s.lines[i].eol = eolLF
	}
}

// Len returns the number of lines.
func (s *Spec) Len() int { return len(s.lines) }

// Line returns the text of line i (0-based) without its terminator.
func (s *Spec) Line(i int) string { return s.lines[i].text }
