package parallel

// Range is the half-open index range [Lo, Hi).
type Range struct{ Lo, Hi int }

// Split cuts [0, n) into k (at least 1) contiguous ranges of nearly equal
// size, for work better done in large chunks than item by item.
func Split(n, k int) []Range {
	k = max(k, 1)
	out := make([]Range, k)
	for w := range out {
		out[w] = Range{w * n / k, (w + 1) * n / k}
	}
	return out
}
