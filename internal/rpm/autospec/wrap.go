package autospec

import (
	"strings"
	"unicode"
)

// Changelog items are wrapped like Python's textwrap.TextWrapper(width=75,
// subsequent_indent="  ").fill: tabs expanded, white space turned into
// spaces, the text cut into chunks and filled greedily, long chunks broken.
const (
	wrapWidth  = 75
	wrapIndent = "  "
)

// wrap fills text into lines of at most wrapWidth code points, every line
// after the first indented by wrapIndent, joined by newlines.
func wrap(text string) string {
	return strings.Join(fillChunks(splitChunks(munge(text))), "\n")
}

// munge expands tabs to the next multiple of eight columns and turns every
// ASCII white-space character into a space.
func munge(text string) []rune {
	out := make([]rune, 0, len(text))
	col := 0
	for _, r := range text {
		switch {
		case r == '\t':
			for n := 8 - col%8; n > 0; n-- {
				out = append(out, ' ')
			}
			col += 8 - col%8
			continue
		case r == '\n' || r == '\r':
			col = 0
		default:
			col++
		}
		if isWrapSpace(r) {
			r = ' '
		}
		out = append(out, r)
	}
	return out
}

// isWrapSpace reports textwrap's own (ASCII) notion of white space.
func isWrapSpace(r rune) bool { return strings.ContainsRune("\t\n\v\f\r ", r) }

// isLetter is textwrap's "letter": a word character that is not a digit.
func isLetter(r rune) bool { return isWordChar(r) && !unicode.IsDigit(r) }

// isWordPunct is a word character or one of the punctuation marks that may
// precede an em-dash.
func isWordPunct(r rune) bool { return isWordChar(r) || strings.ContainsRune(`!"'&.,?`, r) }

// splitChunks cuts text into white-space runs, em-dashes and words, the
// latter broken after suitable hyphens.
func splitChunks(t []rune) [][]rune {
	var chunks [][]rune
	for i := 0; i < len(t); {
		n := chunkLen(t, i)
		chunks = append(chunks, t[i:i+n])
		i += n
	}
	return chunks
}

// chunkLen returns the length of the chunk starting at t[i].
func chunkLen(t []rune, i int) int {
	if isWrapSpace(t[i]) {
		j := i + 1
		for j < len(t) && isWrapSpace(t[j]) {
			j++
		}
		return j - i
	}
	if n := emDashAt(t, i); n > 0 {
		return n
	}
	for e := i + 1; ; e++ {
		switch {
		case e == len(t) || isWrapSpace(t[e]) || emDashAt(t, e) > 0:
			return e - i
		case t[e] == '-' && hyphenBreak(t, e):
			return e + 1 - i
		}
	}
}

// emDashAt returns the length of the em-dash (two or more hyphens after a
// word character or punctuation mark and before a word character) starting
// at t[i], or 0.
func emDashAt(t []rune, i int) int {
	if i == 0 || !isWordPunct(t[i-1]) {
		return 0
	}
	k := 0
	for i+k < len(t) && t[i+k] == '-' {
		k++
	}
	if k < 2 || i+k == len(t) || !isWordChar(t[i+k]) {
		return 0
	}
	return k
}

// hyphenBreak reports whether a word may be cut after the hyphen t[e]: two
// letters (or letter, hyphen, letter) before it, and a letter, an optional
// hyphen and a letter after it.
func hyphenBreak(t []rune, e int) bool {
	at := func(i int, ok func(rune) bool) bool { return i >= 0 && i < len(t) && ok(t[i]) }
	hyphen := func(r rune) bool { return r == '-' }
	before := at(e-2, isLetter) && at(e-1, isLetter) ||
		at(e-3, isLetter) && at(e-2, hyphen) && at(e-1, isLetter)
	after := at(e+1, isLetter) && (at(e+2, isLetter) || at(e+2, hyphen) && at(e+3, isLetter))
	return before && after
}

// isBlank reports whether a chunk is empty or all white space in Python's
// (Unicode) sense.
func isBlank(chunk []rune) bool {
	for _, r := range chunk {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

// fillChunks fills chunks greedily into lines.
func fillChunks(chunks [][]rune) []string {
	var lines []string
	for len(chunks) > 0 {
		indent := ""
		if len(lines) > 0 {
			indent = wrapIndent
			if isBlank(chunks[0]) {
				chunks = chunks[1:]
			}
		}
		width := wrapWidth - len(indent)
		var line [][]rune
		used := 0
		for len(chunks) > 0 && used+len(chunks[0]) <= width {
			line = append(line, chunks[0])
			used += len(chunks[0])
			chunks = chunks[1:]
		}
		if len(chunks) > 0 && len(chunks[0]) > width {
			// A full line gets no empty piece, so its trailing white space
			// goes below (Python 3.14.1+, gh-139065).
			if end := longWordCut(chunks[0], width-used); end > 0 {
				line = append(line, chunks[0][:end])
				chunks[0] = chunks[0][end:]
			}
		}
		if len(line) > 0 && isBlank(line[len(line)-1]) {
			line = line[:len(line)-1]
		}
		if len(line) > 0 {
			lines = append(lines, indent+joinChunks(line))
		}
	}
	return lines
}

// longWordCut returns how much of an over-long chunk goes on a line with
// room left: all that fits, or up to the last hyphen within that space
// when a non-hyphen precedes it.
func longWordCut(chunk []rune, room int) int {
	for h := room - 1; h > 0; h-- {
		if chunk[h] == '-' {
			if strings.Trim(string(chunk[:h]), "-") != "" {
				return h + 1
			}
			break
		}
	}
	return room
}

// joinChunks concatenates chunks into one string.
func joinChunks(chunks [][]rune) string {
	var sb strings.Builder
	for _, c := range chunks {
		sb.WriteString(string(c))
	}
	return sb.String()
}
