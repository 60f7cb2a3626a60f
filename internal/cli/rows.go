package cli

import (
	"slices"
	"strings"
)

// sortRows orders table rows by their first (key) column.
func sortRows(rows [][]string) {
	slices.SortStableFunc(rows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
}
