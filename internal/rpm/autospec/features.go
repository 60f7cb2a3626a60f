package autospec

import (
	"bytes"
	"strings"
)

// Features is what a spec uses of rpmautospec, found line by line as
// rpmautospec-core 0.2.0 does.
type Features struct {
	HasAutorelease    bool // %autorelease mentioned up to the %changelog line (comments count)
	ChangelogLine     int  // 1-based line of the first %changelog, 0 when there is none
	AutochangelogLine int  // 1-based line of the first %autochangelog, 0 when there is none
	IsProcessed       bool // a `%define autorelease(` line: processed already
}

// NeedsChangelog reports whether a changelog is generated: the spec has an
// %autochangelog line, or neither %changelog nor %autochangelog.
func (f Features) NeedsChangelog() bool {
	return f.AutochangelogLine > 0 || f.ChangelogLine == 0
}

// NeedsProcessing reports whether rpmautospec rewrites the spec.
func (f Features) NeedsProcessing() bool {
	return !f.IsProcessed && (f.HasAutorelease || f.NeedsChangelog())
}

// Detect finds the features of a spec.
func Detect(spec []byte) Features {
	var f Features
	lines, _ := splitLines(spec)
	for i, line := range lines {
		n := i + 1
		if f.ChangelogLine == 0 {
			f.HasAutorelease = f.HasAutorelease || mentionsAutorelease(line)
			if isChangelogLine(line) {
				f.ChangelogLine = n
			}
		}
		if f.AutochangelogLine == 0 && isAutochangelogLine(line) {
			f.AutochangelogLine = n
		}
		f.IsProcessed = f.IsProcessed || isAutoreleaseDefinition(line)
	}
	return f
}

// splitLines cuts a spec into lines the way Python's universal newlines
// mode reads it (LF, CRLF and CR all end a line) and reports whether the
// last line was terminated.
func splitLines(spec []byte) (lines []string, terminated bool) {
	s := string(bytes.ReplaceAll(spec, []byte("\r\n"), []byte("\n")))
	s = strings.ReplaceAll(s, "\r", "\n")
	if s == "" {
		return nil, true
	}
	terminated = strings.HasSuffix(s, "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n"), terminated
}

// mentionsAutorelease looks for `%autorelease` followed by white space or
// the end of the line, or `%{autorelease}`, `%{?autorelease}` and their
// forms with arguments.
func mentionsAutorelease(line string) bool {
	for rest := line; ; {
		i := strings.IndexByte(rest, '%')
		if i < 0 {
			return false
		}
		rest = rest[i+1:]
		if after, ok := strings.CutPrefix(rest, "autorelease"); ok && (after == "" || startsWithSpace(after)) {
			return true
		}
		if after, ok := strings.CutPrefix(rest, "{"); ok {
			after = strings.TrimPrefix(after, "?")
			if after, ok := strings.CutPrefix(after, "autorelease"); ok {
				if strings.HasPrefix(after, "}") || startsWithSpace(after) && strings.Contains(after, "}") {
					return true
				}
			}
		}
	}
}

// isChangelogLine matches `%changelog`, in any case, alone or followed by
// white space.
func isChangelogLine(line string) bool {
	const tag = "%changelog"
	return len(line) >= len(tag) && strings.EqualFold(line[:len(tag)], tag) &&
		(len(line) == len(tag) || startsWithSpace(line[len(tag):]))
}

// isAutochangelogLine matches lines starting (after white space) with
// %autochangelog, %{autochangelog} or %{?autochangelog}.
func isAutochangelogLine(line string) bool {
	s := lstrip(line)
	return strings.HasPrefix(s, "%autochangelog") || strings.HasPrefix(s, "%{autochangelog}") ||
		strings.HasPrefix(s, "%{?autochangelog}")
}

// isAutoreleaseDefinition matches `%define autorelease(` as written by a
// previous run.
func isAutoreleaseDefinition(line string) bool {
	rest, ok := strings.CutPrefix(lstrip(line), "%define")
	if !ok || !startsWithSpace(rest) {
		return false
	}
	rest, ok = strings.CutPrefix(lstrip(rest), "autorelease")
	return ok && strings.HasPrefix(lstrip(rest), "(")
}
