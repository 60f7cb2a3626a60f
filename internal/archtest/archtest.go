// Package archtest checks that packages import only packages of their own
// stage or of an earlier one, as docs/architecture.md orders the stages.
package archtest

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Stage is one row of the stage table: its rank and package path prefixes
// (relative to the module root, slash-separated).
type Stage struct {
	Rank     int
	Name     string
	Prefixes []string
}

var (
	stageRow = regexp.MustCompile(`^\|\s*(\d+)\.\s*([a-z]+)\s*\|([^|]*)\|`)
	codeSpan = regexp.MustCompile("`([^`]+)`")
)

// ReadStages parses the stage table of an architecture document.
func ReadStages(doc string) ([]Stage, error) {
	f, err := os.Open(doc)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var stages []Stage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := stageRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		rank, _ := strconv.Atoi(m[1])
		st := Stage{Rank: rank, Name: m[2]}
		for _, c := range codeSpan.FindAllStringSubmatch(m[3], -1) {
			st.Prefixes = append(st.Prefixes, c[1])
		}
		stages = append(stages, st)
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: no stage table found", doc)
	}
	return stages, sc.Err()
}

// Violation is an import that runs against the flow.
type Violation struct {
	File, From, To string
	FromStage      string
	ToStage        string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s (stage %s) imports %s (later stage %s)", v.File, v.From, v.FromStage, v.To, v.ToStage)
}

// Check walks the Go files under root (a module whose path is module) and
// returns every import of a later stage's package, and the packages that
// belong to no stage. Packages under exempt prefixes are not checked.
func Check(root, module string, stages []Stage, exempt []string) ([]Violation, []string, error) {
	var violations []Violation
	unstaged := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if hasPrefix(pkg, exempt) {
			return nil
		}
		from, ok := stageOf(pkg, stages)
		if !ok {
			unstaged[pkg] = true
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			target, _ := strconv.Unquote(imp.Path.Value)
			local, ok := strings.CutPrefix(target, module+"/")
			if !ok {
				continue
			}
			if to, ok := stageOf(local, stages); ok && to.Rank > from.Rank {
				violations = append(violations, Violation{File: filepath.ToSlash(rel), From: pkg, To: local, FromStage: from.Name, ToStage: to.Name})
			}
		}
		return nil
	})
	var missing []string
	for p := range unstaged {
		missing = append(missing, p)
	}
	sort.Strings(missing)
	return violations, missing, err
}

// stageOf finds the stage of a package by its longest matching prefix.
func stageOf(pkg string, stages []Stage) (Stage, bool) {
	best, bestLen := Stage{}, -1
	for _, s := range stages {
		for _, p := range s.Prefixes {
			if (pkg == p || strings.HasPrefix(pkg, p+"/")) && len(p) > bestLen {
				best, bestLen = s, len(p)
			}
		}
	}
	return best, bestLen >= 0
}

func hasPrefix(pkg string, prefixes []string) bool {
	for _, p := range prefixes {
		if pkg == p || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}
