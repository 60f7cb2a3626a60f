package autospec

import (
	"math"
	"strings"
)

// magic holds what the magic comments of a commit message ask for.
type magic struct {
	skipChangelog bool
	bumpRelease   int // 0 when absent
}

// parseMagic reads every line of msg that is entirely `[ ... ]` as
// comma-separated magic comments: `skip changelog` and `bump release[:] N`
// (each a prefix match, as in rpmautospec).
func parseMagic(msg string) magic {
	var m magic
	for _, line := range strings.Split(msg, "\n") {
		inner, ok := bracketed(line)
		if !ok {
			continue
		}
		for _, part := range strings.Split(inner, ",") {
			if isSkipChangelog(part) {
				m.skipChangelog = true
			}
			if n, ok := bumpValue(part); ok {
				m.bumpRelease = max(m.bumpRelease, n)
			}
		}
	}
	return m
}

// bracketed returns the text between `[` and `]` when line is just that,
// give or take surrounding white space.
func bracketed(line string) (string, bool) {
	s, ok := strings.CutPrefix(lstrip(line), "[")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(strings.TrimRightFunc(s, isSpace), "]")
}

// isSkipChangelog matches `\s*skip\s+changelog` at the start of part.
func isSkipChangelog(part string) bool {
	rest, ok := strings.CutPrefix(lstrip(part), "skip")
	return ok && startsWithSpace(rest) && strings.HasPrefix(lstrip(rest), "changelog")
}

// bumpValue matches `\s*bump\s+release\s*(:\s*)?(\d+)` at the start of part
// and returns the number.
func bumpValue(part string) (int, bool) {
	rest, ok := strings.CutPrefix(lstrip(part), "bump")
	if !ok || !startsWithSpace(rest) {
		return 0, false
	}
	rest, ok = strings.CutPrefix(lstrip(rest), "release")
	if !ok {
		return 0, false
	}
	rest = lstrip(rest)
	if after, ok := strings.CutPrefix(rest, ":"); ok {
		rest = lstrip(after)
	}
	return leadingNumber(rest)
}

// leadingNumber parses the decimal digits at the start of s (saturating at
// the largest int).
func leadingNumber(s string) (int, bool) {
	n, digits := 0, 0
	for _, r := range s {
		d, ok := digitValue(r)
		if !ok {
			break
		}
		if n > (math.MaxInt-d)/10 {
			n = math.MaxInt
		} else {
			n = n*10 + d
		}
		digits++
	}
	return n, digits > 0
}

// parseState is where changelogItems is in a commit message.
type parseState int

const (
	beforeSubject parseState = iota
	inSubject
	beforeBody
	inContinuation
	inBody
)

// changelogItems turns a commit message into changelog items: the subject
// (continued by a following `...` or `…` paragraph) and the `-` bullets of
// the first body paragraph. Every `%` is doubled.
func changelogItems(msg string) []string {
	items := [][]string{nil}
	state := beforeSubject
	for _, raw := range strings.Split(msg, "\n") {
		line := strip(strings.ReplaceAll(raw, "%", "%%"))
		if state == beforeSubject {
			if line == "" {
				continue
			}
			state = inSubject
			if rest, ok := strings.CutPrefix(line, "-"); ok {
				line = lstrip(rest)
			}
		}
		if state == inSubject {
			if line != "" {
				items[0] = append(items[0], line)
				continue
			}
			state = beforeBody
		}
		if state == beforeBody {
			if line == "" {
				continue
			}
			if rest, ok := cutEllipsis(line); ok {
				state = inContinuation
				items[0] = append(items[0], rest)
				continue
			}
			if !strings.HasPrefix(line, "-") {
				break
			}
			state = inBody
		}
		if state == inContinuation {
			if line != "" && !strings.HasPrefix(line, "-") {
				items[0] = append(items[0], line)
				continue
			}
			state = inBody
		}
		if line == "" {
			break
		}
		if rest, ok := strings.CutPrefix(line, "-"); ok {
			line = lstrip(rest)
			items = append(items, nil)
		}
		items[len(items)-1] = append(items[len(items)-1], line)
	}
	out := make([]string, len(items))
	for i, lines := range items {
		out[i] = strings.Join(lines, " ")
	}
	return out
}

// cutEllipsis removes a leading `...` (three or more dots) or `…` run and
// the white space after it.
func cutEllipsis(line string) (string, bool) {
	var n int
	switch {
	case strings.HasPrefix(line, "..."):
		n = len(line) - len(strings.TrimLeft(line, "."))
	case strings.HasPrefix(line, "…"):
		n = len(line) - len(strings.TrimLeft(line, "…"))
	default:
		return "", false
	}
	return lstrip(line[n:]), true
}
