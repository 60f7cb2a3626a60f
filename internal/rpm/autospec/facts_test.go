package autospec

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"strings"
)

// tagFacts is a test stand-in for the macro engine: it reads the literal
// Version, Epoch and Release tags outside %if blocks (after `%include`), expands %autorelease (with its flags,
// as rpmautospec redefines it) and %{?dist}, and rejects a missing Version
// or one with a hyphen, as rpm does.
type tagFacts struct{}

func (tagFacts) Facts(ctx context.Context, spec []byte, files TreeReader) (Facts, error) {
	spec, err := include(ctx, spec, files)
	if err != nil {
		return Facts{}, err
	}
	tags := map[string]string{}
	depth := 0 // tags inside %if blocks are ignored, as if every condition were false
	sc := bufio.NewScanner(bytes.NewReader(spec))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "%if"):
			depth++
		case strings.HasPrefix(line, "%endif"):
			depth--
		}
		name, value, ok := strings.Cut(line, ":")
		if key := strings.ToLower(name); ok && depth == 0 && tags[key] == "" {
			tags[key] = strings.TrimSpace(value)
		}
	}
	version := tags["version"]
	if version == "" || strings.Contains(version, "-") {
		return Facts{}, errors.New("bad Version")
	}
	if tags["epoch"] != "" {
		version = tags["epoch"] + ":" + version
	}
	return Facts{EpochVersion: version, Release: expandRelease(tags["release"])}, nil
}

// include replaces `%include NAME` lines with the file's content.
func include(ctx context.Context, spec []byte, files TreeReader) ([]byte, error) {
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(string(spec), "\n") {
		name, ok := strings.CutPrefix(line, "%include ")
		if !ok {
			out.WriteString(line)
			continue
		}
		data, err := files.ReadFile(ctx, strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		out.Write(data)
	}
	return out.Bytes(), nil
}

// countingFacts counts the specs it is asked about.
type countingFacts struct{ calls *int }

func (c countingFacts) Facts(ctx context.Context, spec []byte, files TreeReader) (Facts, error) {
	*c.calls++
	return tagFacts{}.Facts(ctx, spec, files)
}

// expandRelease expands %autorelease with its options and %{?dist}.
func expandRelease(rel string) string {
	rel = strings.ReplaceAll(rel, "%{?dist}", ".azl4")
	for _, form := range []string{"%{autorelease}", "%{?autorelease}"} {
		rel = strings.ReplaceAll(rel, form, autoreleaseFlags(nil))
	}
	if args, ok := strings.CutPrefix(rel, "%autorelease"); ok && (args == "" || args[0] == ' ') {
		return autoreleaseFlags(strings.Fields(args))
	}
	return rel
}

// autoreleaseFlags is the value of rpmautospec's parsing-time %autorelease.
func autoreleaseFlags(args []string) string {
	var e, s, p, b string
	p = "0"
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-p":
			p = "1"
		case "-e", "-s", "-b":
			if i+1 < len(args) {
				v := args[i+1]
				i++
				switch args[i-1] {
				case "-e":
					e = v
				case "-s":
					s = v
				default:
					b = v
				}
			}
		}
	}
	return "E" + e + "_S" + s + "_P" + p + "_B" + b
}
