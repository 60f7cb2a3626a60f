package lockfile

// FingerprintChanges returns the indexes of the versions of one lock file,
// oldest first, whose input fingerprint differs from the version before: the
// first version always counts, and so does the first one after a nil
// version (the file was deleted in that commit).
func FingerprintChanges(versions []*Lock) []int {
	var changes []int
	prev := ""
	for i, l := range versions {
		if l == nil {
			prev = ""
			continue
		}
		if len(changes) == 0 || l.InputFingerprint != prev {
			changes = append(changes, i)
		}
		prev = l.InputFingerprint
	}
	return changes
}
