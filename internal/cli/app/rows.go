package app

import (
	"slices"
	"strings"
)

// SortRows orders table rows by their first (key) column.
func SortRows(rows [][]string) {
	slices.SortStableFunc(rows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
}
