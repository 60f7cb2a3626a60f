package lockfile

import (
	"slices"
	"testing"
)

func TestFingerprintChanges(t *testing.T) {
	l := func(fp string) *Lock { return &Lock{InputFingerprint: fp} }
	cases := []struct {
		versions []*Lock
		want     []int
	}{
		{nil, nil},
		{[]*Lock{l("a")}, []int{0}},
		{[]*Lock{nil, l("a"), l("a"), l("b"), l("b"), l("a")}, []int{1, 3, 5}},
		{[]*Lock{l("a"), nil, l("a")}, []int{0, 2}},
	}
	for _, tc := range cases {
		if got := FingerprintChanges(tc.versions); !slices.Equal(got, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.versions, got, tc.want)
		}
	}
}
