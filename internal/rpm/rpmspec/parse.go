package rpmspec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/azlforge/azldev/internal/rpm/macro"
)

// maxIncludeDepth bounds nested %include.
const maxIncludeDepth = 16

// source is one file being read (the spec or an %include).
type source struct {
	file  string
	lines []string
	next  int
}

// cond is one open %if.
type cond struct {
	parentReading bool
	reading       bool
	taken         bool
	sawElse       bool
	file          string
	line          int
}

type section int

const (
	secPreamble section = iota
	secDescription
	secPrep
	secBuild
	secFiles
	secChangelog
	secSourcelist
	secPatchlist
	secOther
)

type parser struct {
	ctx   context.Context
	c     *macro.Context
	opts  Options
	res   *Result
	stack []*source
	conds []cond
	sec   section
	pkg   *Package
	out   strings.Builder
	file  string
	line  int
	// nextSource/nextPatch are the numbers given to unnumbered entries.
	nextSource, nextPatch int
	noSource, noPatch     map[int]bool
	// rereading is set for the second pass of a spec with a BuildArch tag.
	rereading bool
	// buildArchs are the main package's BuildArch values; on the first
	// pass, reading them ends the pass.
	buildArchs []string
}

func newParser(ctx context.Context, c *macro.Context, opts Options) *parser {
	file := opts.File
	if file == "" {
		file = "spec"
	}
	p := &parser{ctx: ctx, c: c, opts: opts, res: &Result{}, file: file,
		noSource: map[int]bool{}, noPatch: map[int]bool{}}
	p.res.Packages = []Package{{}}
	p.pkg = &p.res.Packages[0]
	return p
}

func (p *parser) errorf(format string, args ...any) error {
	return &macro.Error{File: p.file, Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// run parses the whole spec.
// luaLists are the Lua lists rpm starts afresh for every spec it reads.
var luaLists = []string{"sources", "patches", "source_nums", "patch_nums"}

func (p *parser) run(text string) error {
	for _, l := range luaLists {
		p.c.LuaList(l)
	}
	p.stack = []*source{{file: p.file, lines: splitLines(text)}}
	for {
		if err := p.ctx.Err(); err != nil {
			return p.errorf("spec evaluation cancelled: %v", err)
		}
		line, ok := p.nextLogical()
		if !ok {
			break
		}
		if err := p.handle(line); err != nil {
			return err
		}
		if p.buildArchs != nil && !p.rereading {
			return nil
		}
	}
	if len(p.conds) > 0 {
		top := p.conds[len(p.conds)-1]
		return &macro.Error{File: top.file, Line: top.line, Msg: "unclosed %if"}
	}
	p.finish()
	return nil
}

func splitLines(text string) []string {
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// nextLogical returns the next logical line: physical lines are joined while
// a %{, %( or %[ is open or the line ends with a backslash.
func (p *parser) nextLogical() (string, bool) {
	for len(p.stack) > 0 {
		src := p.stack[len(p.stack)-1]
		if src.next >= len(src.lines) {
			p.stack = p.stack[:len(p.stack)-1]
			continue
		}
		p.file, p.line = src.file, src.next+1
		first := src.lines[src.next]
		src.next++
		var br brackets
		if br.scan(first); !br.open() {
			return first, true
		}
		var b strings.Builder
		b.WriteString(first)
		for br.open() && src.next < len(src.lines) {
			b.WriteByte('\n')
			b.WriteString(src.lines[src.next])
			br.scan("\n")
			br.scan(src.lines[src.next])
			src.next++
		}
		return b.String(), true
	}
	return "", false
}

// brackets follows the macro brackets a logical line leaves open.
type brackets struct {
	brace, paren, square int
	// escaped is set when the text so far ends with a backslash.
	escaped bool
}

// open reports whether the text scanned so far leaves a macro bracket open
// or ends with a line-continuing backslash.
func (b *brackets) open() bool {
	return b.escaped || b.brace > 0 || b.paren > 0 || b.square > 0
}

// scan reads the next piece of text.
func (b *brackets) scan(s string) {
	i := 0
	if b.escaped {
		b.escaped, i = false, 1
	}
	for ; i < len(s); i++ {
		if b.brace == 0 && b.paren == 0 && b.square == 0 {
			j := indexPercentOrBackslash(s[i:])
			if j < 0 {
				return
			}
			i += j
		}
		switch s[i] {
		case '\\':
			if i+1 == len(s) {
				b.escaped = true
				return
			}
			i++
		case '%':
			if i+1 < len(s) {
				switch s[i+1] {
				case '{':
					b.brace++
					i++
				case '(':
					b.paren++
					i++
				case '[':
					b.square++
					i++
				case '%':
					i++
				}
			}
		case '{', '}':
			b.brace = nest(b.brace, s[i] == '{')
		case '(', ')':
			b.paren = nest(b.paren, s[i] == '(')
		case '[', ']':
			b.square = nest(b.square, s[i] == '[')
		}
	}
}

// indexPercentOrBackslash returns the index of the first % or backslash in s,
// or -1.
func indexPercentOrBackslash(s string) int {
	p := strings.IndexByte(s, '%')
	head := s
	if p >= 0 {
		head = s[:p]
	}
	if q := strings.IndexByte(head, '\\'); q >= 0 {
		return q
	}
	return p
}

// nest counts a bracket inside an open macro bracket (depth > 0).
func nest(depth int, opening bool) int {
	switch {
	case depth == 0:
		return 0
	case opening:
		return depth + 1
	}
	return depth - 1
}

func (p *parser) reading() bool {
	return len(p.conds) == 0 || p.conds[len(p.conds)-1].reading
}

// handle processes one logical line. As rpm does, a reading line is
// expanded as a whole and then handled segment by segment (a segment is one
// line of the result), so %if lines inside backslash-continued text work;
// segments read while not reading are expanded once reading resumes.
func (p *parser) handle(line string) error {
	expanded := false
	text := line
	if p.reading() {
		var err error
		if text, err = p.expandLine(line); err != nil {
			return err
		}
		expanded = true
	}
	segs := strings.Split(text, "\n")
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		if kw, rest, ok := conditional(seg); ok {
			if err := p.conditional(kw, rest, expanded); err != nil {
				return err
			}
			continue
		}
		if !p.reading() {
			continue
		}
		if !expanded {
			rest, err := p.expandLine(strings.Join(segs[i:], "\n"))
			if err != nil {
				return err
			}
			segs, i, expanded = append(segs[:i], strings.Split(rest, "\n")...), i-1, true
			continue
		}
		if strings.HasPrefix(strings.TrimLeft(seg, " \t"), "%include") {
			if err := p.include(seg); err != nil {
				return err
			}
			continue
		}
		if err := p.processLine(seg); err != nil {
			return err
		}
		if p.buildArchs != nil && !p.rereading {
			return nil
		}
	}
	return nil
}

// expandLine expands text at the current position (%prep lines keep their
// %setup-like macros).
func (p *parser) expandLine(text string) (string, error) {
	p.c.SetPos(p.file, p.line)
	if p.sec == secPrep {
		return p.expandPrep(text)
	}
	return p.c.Expand(p.ctx, text)
}

// prepKeep are %prep macros left as text, as azldev never runs %prep.
var prepKeep = []string{"%setup", "%autosetup", "%autopatch", "%patch"}

// expandPrep expands a %prep line, keeping a leading %setup, %patch,
// %autosetup or %autopatch literal.
func (p *parser) expandPrep(line string) (string, error) {
	t := strings.TrimLeft(line, " \t")
	for _, k := range prepKeep {
		if strings.HasPrefix(t, k) {
			n := len(line) - len(t) + len(k)
			for n < len(line) && line[n] != ' ' && line[n] != '\t' {
				n++
			}
			rest, err := p.c.Expand(p.ctx, line[n:])
			return line[:n] + rest, err
		}
	}
	return p.c.Expand(p.ctx, line)
}

// conditionalKeywords are checked longest first.
var conditionalKeywords = []string{"%ifnarch", "%ifarch", "%ifnos", "%ifos", "%if", "%elifarch", "%elifos", "%elif", "%else", "%endif"}

// conditional recognises a %if-family line.
func conditional(line string) (kw, rest string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(t, "%") {
		return "", "", false
	}
	for _, k := range conditionalKeywords {
		if strings.HasPrefix(t, k) {
			r := t[len(k):]
			if r == "" || r[0] == ' ' || r[0] == '\t' || r[0] == '\n' || k == "%else" || k == "%endif" {
				if (k == "%else" || k == "%endif") && r != "" && isNameChar(r[0]) {
					continue
				}
				return k, r, true
			}
		}
	}
	return "", "", false
}

func isNameChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// conditional updates the %if stack.
func (p *parser) conditional(kw, rest string, expanded bool) error {
	switch kw {
	case "%else":
		if len(p.conds) == 0 {
			return p.errorf("%%else without %%if")
		}
		top := &p.conds[len(p.conds)-1]
		if top.sawElse {
			return p.errorf("%%else after %%else")
		}
		top.sawElse = true
		top.reading = top.parentReading && !top.taken
		top.taken = true
		return nil
	case "%endif":
		if len(p.conds) == 0 {
			return p.errorf("%%endif without %%if")
		}
		p.conds = p.conds[:len(p.conds)-1]
		return nil
	case "%elif", "%elifarch", "%elifos":
		if len(p.conds) == 0 {
			return p.errorf("%s without %%if", kw)
		}
		top := &p.conds[len(p.conds)-1]
		if top.sawElse {
			return p.errorf("%s after %%else", kw)
		}
		if !top.parentReading || top.taken {
			top.reading = false
			return nil
		}
		ok, err := p.test(kw, rest, expanded)
		if err != nil {
			return err
		}
		top.reading, top.taken = ok, ok
		return nil
	}
	c := cond{parentReading: p.reading(), file: p.file, line: p.line}
	if c.parentReading {
		ok, err := p.test(kw, rest, expanded)
		if err != nil {
			return err
		}
		c.reading, c.taken = ok, ok
	}
	p.conds = append(p.conds, c)
	return nil
}

// test evaluates the condition of a %if-family line, expanding it first
// unless it comes from already expanded text.
func (p *parser) test(kw, rest string, expanded bool) (bool, error) {
	p.c.SetPos(p.file, p.line)
	text := rest
	if !expanded {
		var err error
		if text, err = p.c.Expand(p.ctx, rest); err != nil {
			return false, err
		}
	}
	switch kw {
	case "%if", "%elif":
		ok, err := p.c.ExprBool(p.ctx, text)
		if err != nil {
			return false, p.errorf("bad %s condition: %s: %v", kw, strings.TrimSpace(text), err)
		}
		return ok, nil
	case "%ifarch", "%elifarch", "%ifnarch":
		return p.member(text, "_target_cpu") != (kw == "%ifnarch"), nil
	}
	return p.member(text, "_target_os") != (kw == "%ifnos"), nil
}

// member reports whether the value of macro name is one of the words of list.
func (p *parser) member(list, name string) bool {
	v, _ := p.c.Expand(p.ctx, "%{"+name+"}")
	for _, w := range strings.FieldsFunc(list, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\n' }) {
		if w == v {
			return true
		}
	}
	return false
}

// include pushes the file named by an %include line.
func (p *parser) include(line string) error {
	name := strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(line, " \t"), "%include"))
	if name == "" {
		return p.errorf("%%include: missing file name")
	}
	if len(p.stack) > maxIncludeDepth {
		return p.errorf("%%include nested too deeply")
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(p.opts.SourceDir, name)
	}
	data, err := p.readIncluded(name)
	if err != nil {
		return p.errorf("%%include %s: %v", name, err)
	}
	p.stack = append(p.stack, &source{file: name, lines: splitLines(string(data))})
	return nil
}

// readIncluded reads an %include file from the source directory or the
// extra roots only.
func (p *parser) readIncluded(name string) ([]byte, error) {
	roots := append([]string{p.opts.SourceDir}, p.opts.Macro.Roots...)
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return nil, err
	}
	for _, r := range roots {
		if r == "" {
			continue
		}
		rr, err := filepath.EvalSymlinks(r)
		if err == nil && strings.HasPrefix(real, rr+string(filepath.Separator)) {
			return os.ReadFile(real)
		}
	}
	return nil, errOutsideRoots
}

type rootError string

func (e rootError) Error() string { return string(e) }

const errOutsideRoots = rootError("file is outside the allowed directories")

// processLine handles one expanded line: section markers, preamble tags,
// source lists; every line goes to the expanded text.
func (p *parser) processLine(l string) error {
	if name, args, ok := sectionMarker(l); ok {
		p.out.WriteString(l)
		p.out.WriteByte('\n')
		return p.startSection(name, args)
	}
	p.out.WriteString(l)
	p.out.WriteByte('\n')
	switch p.sec {
	case secPreamble:
		return p.preambleLine(l)
	case secSourcelist, secPatchlist:
		if v := strings.TrimSpace(l); v != "" && !strings.HasPrefix(v, "#") {
			p.addSource(p.sec == secPatchlist, -1, v)
		}
	}
	return nil
}

var sections = map[string]section{
	"%package": secPreamble, "%description": secDescription, "%prep": secPrep,
	"%build": secBuild, "%install": secBuild, "%check": secBuild, "%clean": secBuild,
	"%conf": secBuild, "%generate_buildrequires": secBuild,
	"%files": secFiles, "%changelog": secChangelog,
	"%sourcelist": secSourcelist, "%patchlist": secPatchlist,
	"%pre": secOther, "%post": secOther, "%preun": secOther, "%postun": secOther,
	"%pretrans": secOther, "%posttrans": secOther, "%preuntrans": secOther, "%postuntrans": secOther,
	"%verifyscript": secOther, "%triggerprein": secOther, "%triggerin": secOther, "%triggerun": secOther,
	"%triggerpostun": secOther, "%filetriggerin": secOther, "%filetriggerun": secOther,
	"%filetriggerpostun": secOther, "%transfiletriggerin": secOther, "%transfiletriggerun": secOther,
	"%transfiletriggerpostun": secOther,
}

// sectionMarker recognises a line starting a new spec section.
func sectionMarker(l string) (name, args string, ok bool) {
	if !strings.HasPrefix(l, "%") {
		return "", "", false
	}
	end := 1
	for end < len(l) && (isNameChar(l[end])) {
		end++
	}
	name = strings.ToLower(l[:end]) // rpm ignores the case of section names
	if _, ok := sections[name]; !ok {
		return "", "", false
	}
	if end < len(l) && l[end] != ' ' && l[end] != '\t' {
		return "", "", false
	}
	return name, strings.TrimSpace(l[end:]), true
}

func (p *parser) startSection(name, args string) error {
	p.sec = sections[name]
	if name != "%package" {
		return nil
	}
	sub, err := p.packageName(args)
	if err != nil {
		return err
	}
	p.res.Packages = append(p.res.Packages, Package{Name: sub})
	p.pkg = &p.res.Packages[len(p.res.Packages)-1]
	return nil
}

// packageName resolves "%package [-n] name".
func (p *parser) packageName(args string) (string, error) {
	f := strings.Fields(args)
	full := false
	var name string
	for i := 0; i < len(f); i++ {
		switch {
		case f[i] == "-n":
			full = true
		case name == "":
			name = f[i]
		}
	}
	if name == "" {
		return "", p.errorf("%%package: missing name")
	}
	if full {
		return name, nil
	}
	if p.res.Name == "" {
		return "", p.errorf("%%package %s: Name tag must come first", name)
	}
	return p.res.Name + "-" + name, nil
}

// macroTags are the tags whose value rpm also defines as a macro (lower and
// upper case).
var macroTags = map[string]bool{
	"name": true, "version": true, "release": true, "epoch": true, "summary": true,
	"license": true, "url": true, "group": true, "vendor": true, "packager": true,
	"distribution": true, "disturl": true, "vcs": true, "bugurl": true,
	"modularitylabel": true, "disttag": true,
}

// preambleLine parses "Tag(qualifier): value".
func (p *parser) preambleLine(l string) error {
	t := strings.TrimSpace(l)
	if t == "" || strings.HasPrefix(t, "#") {
		return nil
	}
	tag, value, ok := splitTag(t)
	if !ok {
		return nil
	}
	lower := strings.ToLower(tag)
	if macroTags[lower] {
		p.c.Define(lower, value)
		p.c.Define(strings.ToUpper(lower), value)
	}
	if err := checkTagChars(lower, value); err != nil {
		return p.errorf("%s", err)
	}
	main := p.pkg == &p.res.Packages[0]
	switch {
	case lower == "name" && main:
		p.res.Name = value
		p.pkg.Name = value
	case lower == "version" && main:
		p.res.Version = value
	case lower == "release" && main:
		p.res.Release = value
	case lower == "epoch" && main:
		p.res.Epoch = value
	case lower == "summary":
		p.pkg.Summary = value
		if main {
			p.res.Summary = value
		}
	case lower == "license" && main:
		p.res.License = value
	case lower == "url" && main:
		p.res.URL = value
	case strings.HasPrefix(lower, "source") || strings.HasPrefix(lower, "patch"):
		return p.sourceTag(lower, value)
	case lower == "nosource" || lower == "nopatch":
		p.noSourceTag(lower == "nopatch", value)
	case lower == "buildrequires":
		p.res.BuildRequires = append(p.res.BuildRequires, splitDeps(value)...)
	case lower == "requires":
		p.pkg.Requires = append(p.pkg.Requires, splitDeps(value)...)
	case lower == "provides":
		p.pkg.Provides = append(p.pkg.Provides, splitDeps(value)...)
	case lower == "buildarch" || lower == "buildarchitectures":
		p.pkg.BuildArch = append(p.pkg.BuildArch, strings.Fields(value)...)
		if main {
			p.buildArchs = p.pkg.BuildArch
		}
	}
	return nil
}

// splitTag splits "Tag(qual): value"; the tag must be a word.
func splitTag(t string) (tag, value string, ok bool) {
	i := 0
	for i < len(t) && isNameChar(t[i]) {
		i++
	}
	if i == 0 {
		return "", "", false
	}
	tag = t[:i]
	rest := t[i:]
	if l := strings.ToLower(tag); (l == "source" || l == "patch") && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		// rpm reads a Source/Patch number only up to the first blank, so
		// "Patch 1: x" is an unnumbered patch.
		if c := strings.IndexByte(rest, ':'); c >= 0 {
			return tag, strings.TrimSpace(rest[c+1:]), true
		}
	}
	if strings.HasPrefix(rest, "(") {
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return "", "", false
		}
		rest = rest[end+1:]
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, ":") {
		return "", "", false
	}
	return tag, strings.TrimSpace(rest[1:]), true
}

// sourceTag handles SourceN/PatchN tags.
func (p *parser) sourceTag(lower, value string) error {
	patch := strings.HasPrefix(lower, "patch")
	numText := strings.TrimPrefix(strings.TrimPrefix(lower, "source"), "patch")
	num := -1
	if numText != "" {
		n, err := strconv.Atoi(numText)
		if err != nil || n < 0 {
			return nil
		}
		num = n
	}
	if value == "" {
		return p.errorf("%s: empty value", lower)
	}
	p.addSource(patch, num, value)
	return nil
}

// addSource records an entry (num < 0: the next free number) and defines
// %SOURCEn / %PATCHn and %SOURCEURLn / %PATCHURLn, and appends the path and
// the number to the Lua lists sources and source_nums (patches, patch_nums).
func (p *parser) addSource(patch bool, num int, value string) {
	next, list, tag := &p.nextSource, &p.res.Sources, "SOURCE"
	if patch {
		next, list, tag = &p.nextPatch, &p.res.Patches, "PATCH"
	}
	if num < 0 {
		num = *next
	}
	if num >= *next {
		*next = num + 1
	}
	*list = append(*list, Source{Num: num, Value: value})
	base := value
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	srcdir, _ := p.c.Expand(p.ctx, "%{_sourcedir}")
	path := srcdir + "/" + base
	n := strconv.Itoa(num)
	p.c.Define(tag+n, path)
	p.c.Define(tag+"URL"+n, value)
	luaList, luaNums := "sources", "source_nums"
	if patch {
		luaList, luaNums = "patches", "patch_nums"
	}
	p.c.LuaAppend(luaList, path)
	p.c.LuaAppendInt(luaNums, num)
}

func (p *parser) noSourceTag(patch bool, value string) {
	m := p.noSource
	if patch {
		m = p.noPatch
	}
	for _, f := range strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
		if n, err := strconv.Atoi(f); err == nil {
			m[n] = true
		}
	}
}

// finish applies NoSource/NoPatch and stores the text.
func (p *parser) finish() {
	for i := range p.res.Sources {
		p.res.Sources[i].NoSource = p.noSource[p.res.Sources[i].Num]
	}
	for i := range p.res.Patches {
		p.res.Patches[i].NoSource = p.noPatch[p.res.Patches[i].Num]
	}
	p.res.Text = p.out.String()
}

// tagChars are the characters rpm allows, besides ASCII letters and digits,
// in the Name, Version and Release tags.
var tagChars = map[string]string{"name": ".-_+%{}", "version": "._+%{}~^", "release": "._+%{}~^"}

// checkTagChars refuses values rpm refuses: illegal characters, "..", and
// an Epoch that is not a number.
func checkTagChars(tag, value string) error {
	if tag == "epoch" {
		if _, err := strconv.ParseUint(value, 10, 32); err != nil {
			return fmt.Errorf("epoch field must be an unsigned number: %s", value)
		}
		return nil
	}
	allowed, ok := tagChars[tag]
	if !ok {
		return nil
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c < 0x80 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte(allowed, c) >= 0) {
			continue
		}
		return fmt.Errorf("illegal char '%c' (0x%x) in: %s", c, c, value)
	}
	if strings.Contains(value, "..") {
		return fmt.Errorf("illegal sequence \"..\" in: %s", value)
	}
	return nil
}
