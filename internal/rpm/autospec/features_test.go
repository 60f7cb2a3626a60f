package autospec

import "testing"

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want Features
	}{
		{"Release: %autorelease\n%changelog\n%autochangelog\n", Features{true, 2, 3, false}},
		{"Release: %{autorelease -b 2}%{?dist}\n", Features{HasAutorelease: true}},
		{"# uses %{?autorelease} in a comment\n%changelog\n", Features{true, 2, 0, false}},
		{"Release: 1\n%changelog\nRelease: %autorelease\n", Features{ChangelogLine: 2}},
		{"Release: %autoreleasex %{autorelease %{autorelease\n", Features{}},
		{"%CHANGELOG\t\n", Features{ChangelogLine: 1}},
		{"%changelogs\n", Features{}},
		{"  %{?autochangelog}trailing\n", Features{AutochangelogLine: 1}},
		{"%autochangelog\n%changelog\n", Features{ChangelogLine: 2, AutochangelogLine: 1}},
		{"a\r\nb\r%changelog\r\n", Features{ChangelogLine: 3}},
		{" %define  autorelease (e:s:pb:n) x\n", Features{IsProcessed: true}},
		{"%define autoreleasex(\n", Features{}},
	} {
		if got := Detect([]byte(tc.spec)); got != tc.want {
			t.Errorf("Detect(%q) = %+v, want %+v", tc.spec, got, tc.want)
		}
	}
}

func TestNeeds(t *testing.T) {
	for _, tc := range []struct {
		f                 Features
		changelog, always bool
	}{
		{Features{}, true, true},
		{Features{ChangelogLine: 3}, false, false},
		{Features{HasAutorelease: true, ChangelogLine: 3}, false, true},
		{Features{ChangelogLine: 3, AutochangelogLine: 4}, true, true},
		{Features{HasAutorelease: true, IsProcessed: true}, true, false},
	} {
		if tc.f.NeedsChangelog() != tc.changelog || tc.f.NeedsProcessing() != tc.always {
			t.Errorf("%+v: NeedsChangelog %v, NeedsProcessing %v", tc.f, tc.f.NeedsChangelog(), tc.f.NeedsProcessing())
		}
	}
}
