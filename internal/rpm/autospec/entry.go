package autospec

import (
	"strings"
	"time"
)

// Placeholder authors rpmautospec uses when nobody is configured.
const (
	unknownUser     = "Unknown User <please-configure-git-user@example.com>"
	defaultPackager = "John Doe <packager@example.com>"
)

// uncommittedMessage is the message of the work-tree entry.
const uncommittedMessage = "Uncommitted changes"

// unresolvableMerge is the only item of a merge entry rpmautospec cannot
// follow.
const unresolvableMerge = "RPMAUTOSPEC: unresolvable merge"

// formatEntry renders one changelog entry: the header with the date in UTC,
// the author and, when evr is known, ` - <evr>`, then one wrapped line
// group per item.
func formatEntry(when time.Time, author, evr string, items []string) string {
	var b strings.Builder
	b.WriteString("* ")
	b.WriteString(when.UTC().Format("Mon Jan 02 2006"))
	b.WriteString(" ")
	b.WriteString(author)
	if evr != "" {
		b.WriteString(" - ")
		b.WriteString(evr)
	}
	for _, item := range items {
		b.WriteString("\n")
		b.WriteString(wrap("- " + item))
	}
	return b.String()
}
