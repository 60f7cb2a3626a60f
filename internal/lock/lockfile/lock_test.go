package lockfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const full = `# Managed by azldev component update. Do not edit manually.
version = 1
import-commit = '093caa8464015cbb3768859de96cbe34d6780d30'
upstream-commit = '75bdae805d75b2dd9f306077c2badedfe4671d04'
manual-bump = 1
input-fingerprint = 'sha256:1c47699f01f60cd3b7d6d9174d8e0df70e9301936dd2d2ec13062538573d1060'
resolution-input-hash = 'sha256:58ae9e2d1c112c1538e1831203bb936140ddad3b2d87e7be5fce82776feb502d'
`

func TestParseAndMarshalReferenceExample(t *testing.T) {
	l, err := Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	want := Lock{
		Version:             1,
		ImportCommit:        "093caa8464015cbb3768859de96cbe34d6780d30",
		UpstreamCommit:      "75bdae805d75b2dd9f306077c2badedfe4671d04",
		ManualBump:          1,
		InputFingerprint:    "sha256:1c47699f01f60cd3b7d6d9174d8e0df70e9301936dd2d2ec13062538573d1060",
		ResolutionInputHash: "sha256:58ae9e2d1c112c1538e1831203bb936140ddad3b2d87e7be5fce82776feb502d",
	}
	if *l != want {
		t.Fatalf("parsed %+v\nwant   %+v", *l, want)
	}
	if got := string(l.Marshal()); got != full {
		t.Fatalf("marshal:\n%s\nwant:\n%s", got, full)
	}
}

func TestMarshalOmitsEmptyFields(t *testing.T) {
	tests := []struct {
		name string
		lock Lock
		want string
	}{
		{"empty", Lock{}, Header + "\nversion = 1\n"},
		{"local", Lock{Version: 1, InputFingerprint: "sha256:ab"},
			Header + "\nversion = 1\ninput-fingerprint = 'sha256:ab'\n"},
		{"bump only", Lock{Version: 1, ManualBump: 3}, Header + "\nversion = 1\nmanual-bump = 3\n"},
		{"commits", Lock{Version: 1, ImportCommit: "a", UpstreamCommit: "b"},
			Header + "\nversion = 1\nimport-commit = 'a'\nupstream-commit = 'b'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.lock.Marshal()); got != tt.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestMarshalQuotesAwkwardValuesSoTheyRoundTrip(t *testing.T) {
	for _, v := range []string{"it's", "line\nbreak", `back\slash "q"`, "tab\there", "del\x7f", "ünï"} {
		l := &Lock{Version: 1, InputFingerprint: v}
		back, err := Parse(l.Marshal())
		if err != nil {
			t.Fatalf("%q: %v\n%s", v, err, l.Marshal())
		}
		if back.InputFingerprint != v {
			t.Fatalf("%q came back as %q", v, back.InputFingerprint)
		}
	}
}

func TestParseAcceptsOtherSpellings(t *testing.T) {
	// Hand-edited files may use other TOML spellings; only the values matter.
	l, err := Parse([]byte("version = 1\nupstream-commit = \"abc1234\"  # pin\nmanual-bump = 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if l.UpstreamCommit != "abc1234" || l.ManualBump != 0 {
		t.Fatalf("got %+v", *l)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"version 2", "# c\nversion = 2\n", "2:1: unsupported lock file version 2 (expected 1)"},
		{"no version", "input-fingerprint = 'x'\n", "unsupported lock file version 0 (expected 1)"},
		{"unknown key", "version = 1\nupstream-comit = 'x'\n", "2:1: unknown field `upstream-comit`"},
		{"unknown table", "version = 1\n[extra]\nkey = 1\n", "unknown field `extra"},
		{"wrong type", "version = 1\nmanual-bump = 'one'\n", "2:15:"},
		{"version type", "version = '1'\n", "1:11:"},
		{"syntax", "version = 1\nupstream-commit = 'x\n", "2:"},
		{"duplicate", "version = 1\nversion = 1\n", "2:1:"},
		{"negative bump", "version = 1\nmanual-bump = -2\n", "2:1: manual-bump must not be negative (got -2)"},
		// Finding 14: a commit that could pass for a git option never reaches git.
		{"option as commit", "version = 1\nupstream-commit = '--upload-pack=touch /tmp/pwned'\n", `2:1: upstream-commit "--upload-pack=touch /tmp/pwned" is not a commit id`},
		{"non-hex import commit", "version = 1\nimport-commit = 'HEAD'\n", `2:1: import-commit "HEAD" is not a commit id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNamed("locks/x.lock", []byte(tt.doc))
			if err == nil {
				t.Fatal("no error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *ParseError: %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), "locks/x.lock:") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not name the file and contain %q", err, tt.want)
			}
		})
	}
}

func TestParseErrorWithoutFile(t *testing.T) {
	_, err := Parse([]byte("version = 3\n"))
	if err == nil || err.Error() != "1:1: unsupported lock file version 3 (expected 1)" {
		t.Fatalf("got %v", err)
	}
}

func TestPath(t *testing.T) {
	if got := Path("/p/locks", "curl"); got != "/p/locks/curl.lock" {
		t.Fatalf("got %s", got)
	}
}

func TestReadWrite(t *testing.T) {
	dir := t.TempDir()
	path := Path(filepath.Join(dir, "locks"), "curl")

	_, err := Read(path)
	if !IsNotExist(err) {
		t.Fatalf("missing file: got %v, want a not-exist error", err)
	}

	l := New()
	l.InputFingerprint = "sha256:00"
	if err := Write(path, l); err != nil { // creates the locks directory
		t.Fatal(err)
	}
	l.ManualBump = 2
	if err := Write(path, l); err != nil { // replaces the file
		t.Fatal(err)
	}
	back, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if *back != *l {
		t.Fatalf("read %+v, wrote %+v", *back, *l)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", st.Mode())
	}
}

func TestReadNamesPathInErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	if err := os.WriteFile(path, []byte("version = 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path)
	if err == nil || IsNotExist(err) || !strings.HasPrefix(err.Error(), path+":1:1: unsupported") {
		t.Fatalf("got %v", err)
	}
}

func TestWriteFailureLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "x.lock")
	if err := os.Mkdir(target, 0o755); err != nil { // a directory cannot be replaced by rename
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(target, New()); err == nil {
		t.Fatal("expected an error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}
