package config

import "testing"

func TestRenderedSpecDir(t *testing.T) {
	for name, want := range map[string]string{"CGAL": "/r/c/CGAL", "389-ds-base": "/r/3/389-ds-base", "a": "/r/a/a"} {
		if got := RenderedSpecDir("/r", name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
