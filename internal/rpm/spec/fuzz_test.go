package spec

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzParse checks that any input round-trips byte for byte and normalizes
// to the reference's rewrite form.
func FuzzParse(f *testing.F) {
	f.Add([]byte(baseSpec))
	f.Add([]byte("Name: a\r\n%files\r\n/a"))

	f.Fuzz(func(t *testing.T, data []byte) {
		s := Parse(data)
		if !bytes.Equal(s.Bytes(), data) {
			t.Fatalf("round trip changed %q into %q", data, s.Bytes())
		}

		s.Normalize()

		if !bytes.Equal(s.Bytes(), normalizedText(data)) {
			t.Fatalf("normalized %q into %q", data, s.Bytes())
		}

		checkIndex(t, s)
	})
}

// checkIndex verifies the section index matches a fresh parse of the bytes.
func checkIndex(t *testing.T, s *Spec) {
	t.Helper()

	fresh := Parse(s.Bytes()).Sections()
	if got := s.Sections(); !slices.Equal(got, fresh) {
		t.Fatalf("stale index:\n got %+v\nwant %+v", got, fresh)
	}
}

// Operations exercised by FuzzEdit, selected by an op byte.
const (
	opAddTag = iota
	opSetTag
	opPrepend
	opAppend
	opRemoveSection
	opInsertTag
	opUpdateTag
	opRemoveTag
	opSearchReplace
	opRemoveSubpackage
	opPatchAdd
	opPatchRemove
	opBumpRelease
	opCount
)

// fuzzOps applies each operation with the fuzzed string arguments; lines are
// given as one "|"-separated string.
var fuzzOps = [opCount]func(s *Spec, a, b, c string) error{
	opAddTag:           func(s *Spec, a, b, c string) error { return s.AddTag(a, b, c) },
	opSetTag:           func(s *Spec, a, b, c string) error { return s.SetTag(a, b, c) },
	opPrepend:          func(s *Spec, a, b, c string) error { return s.PrependLines(a, b, strings.Split(c, "|")) },
	opAppend:           func(s *Spec, a, b, c string) error { return s.AppendLines(a, b, strings.Split(c, "|")) },
	opRemoveSection:    func(s *Spec, a, b, _ string) error { return s.RemoveSection(a, b) },
	opInsertTag:        func(s *Spec, a, b, c string) error { return s.InsertTag(a, b, c) },
	opUpdateTag:        func(s *Spec, a, b, c string) error { return s.UpdateTag(a, b, c) },
	opRemoveTag:        func(s *Spec, a, b, c string) error { return s.RemoveTag(a, b, c) },
	opSearchReplace:    func(s *Spec, a, b, c string) error { return s.SearchReplace(a, "", b, c) },
	opRemoveSubpackage: func(s *Spec, a, _, _ string) error { return s.RemoveSubpackage(a) },
	opPatchAdd:         func(s *Spec, a, b, _ string) error { return s.PatchAddSpec(a, b) },
	opPatchRemove:      func(s *Spec, a, _, _ string) error { return s.PatchRemoveSpec(a) },
	opBumpRelease: func(s *Spec, a, _, _ string) error {
		_, err := s.BumpRelease(len(a), a == "")

		return err
	},
}

// FuzzEdit applies every operation to fuzzed specs and arguments: no panic,
// an unchanged spec on error, an index matching the bytes, and (for the
// operations listed above) sections the operation does not target left
// byte-identical.
func FuzzEdit(f *testing.F) {
	f.Add([]byte(baseSpec), uint8(opAddTag), uint8(3), "devel", "Provides", "x")
	f.Add([]byte(baseSpec), uint8(opRemoveSection), uint8(5), "%check", "", "")

	f.Fuzz(func(t *testing.T, data []byte, op, pick uint8, a, b, c string) {
		before := Parse(data)
		op %= opCount

		if sections := before.Sections(); pick&0x80 != 0 {
			// Target an existing section most of the time.
			sec := sections[int(pick&0x7f)%len(sections)]
			a, b = pickTarget(int(op), sec, a, b)
		}

		after := Parse(data)

		err := fuzzOps[op](after, a, b, c)
		if err != nil && !bytes.Equal(after.Bytes(), data) {
			t.Fatalf("failed edit (%v) changed the spec", err)
		}

		checkIndex(t, after)

		if err == nil {
			checkUntouched(t, int(op), before, after, a, b, c)
		}
	})
}

// pickTarget rewrites the fuzzed (a, b) arguments to address section sec.
func pickTarget(op int, sec Section, a, b string) (string, string) {
	switch op {
	case opPrepend, opAppend, opRemoveSection:
		return sec.Name, sec.Package
	case opSearchReplace:
		return sec.Name, b
	}

	return sec.Package, b

}

// checkUntouched verifies the sections an operation does not target are
// unchanged, for arguments that cannot create section headers.
func checkUntouched(t *testing.T, op int, before, after *Spec, a, b, c string) {
	t.Helper()

	switch op {
	case opAddTag, opSetTag:
		if a == "" || strings.IndexFunc(b, unicode.IsSpace) >= 0 || strings.ContainsAny(c, "\r\n") {
			return
		}

		targets := func(sec Section) bool { return sec.HasTags() && sec.Package == a }
		if op == opAddTag {
			targets = func(sec Section) bool { return sec.Name == "%package" && sec.Package == a }
		}

		sameSections(t, before, after, targets)
	case opPrepend, opAppend:
		if a == "" || createsHeader(c) {
			return
		}

		sameSections(t, before, after, func(sec Section) bool { return sec.Name == a && sec.Package == b })
	case opRemoveSection:
		onlyRemovedFrom(t, before, after, func(sec Section) bool { return sec.Name == a && sec.Package == b })
	}
}

// createsHeader reports whether any line of the "|"-separated text is a header.
func createsHeader(text string) bool {
	for _, l := range normalizedLines(strings.Split(text, "|")) {
		if kind, _ := headerOf(l.text); kind != kindNone {
			return true
		}
	}

	return false
}

// sameSections checks that after has the sections of before in the same
// order and that each section target rejects is byte-identical.
func sameSections(t *testing.T, before, after *Spec, target func(Section) bool) {
	t.Helper()

	was, is := before.Sections(), after.Sections()
	if len(was) != len(is) {
		t.Fatalf("section count changed from %d to %d", len(was), len(is))
	}

	for i, sec := range was {
		if is[i].Name != sec.Name || is[i].Package != sec.Package {
			t.Fatalf("section %d changed from %q/%q to %q/%q", i, sec.Name, sec.Package, is[i].Name, is[i].Package)
		}

		if !target(sec) && !slices.Equal(before.lines[sec.Start:sec.End], after.lines[is[i].Start:is[i].End]) {
			t.Fatalf("untargeted section %d (%s %s) changed", i, sec.Name, sec.Package)
		}
	}
}

// onlyRemovedFrom checks that after is before minus some lines, all of them
// in target sections, and that every target header is gone.
func onlyRemovedFrom(t *testing.T, before, after *Spec, target func(Section) bool) {
	t.Helper()

	j := 0

	for _, sec := range before.Sections() {
		for i := sec.Start; i < sec.End; i++ {
			if j < len(after.lines) && after.lines[j] == before.lines[i] && !(target(sec) && i == sec.Start) {
				j++

				continue
			}

			if !target(sec) {
				t.Fatalf("line %d of untargeted section %s %s was removed", i, sec.Name, sec.Package)
			}
		}
	}

	if j != len(after.lines) {
		t.Fatalf("after has %d lines not taken from before", len(after.lines)-j)
	}
}
