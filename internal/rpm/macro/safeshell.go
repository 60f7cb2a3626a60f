package macro

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The safe shell interprets the small POSIX-shell subset that spec files use
// inside %(...): lists (; && ||), pipelines, variable assignments, parameter
// expansion (${v:o:l}, ${v%p}, ${v#p}, ${v/p/r}, ${v,,}, ${#v}), $(( )),
// $( ) and backquotes, quoting, here-strings (<<<), if/for, and a few pure
// text tools implemented in Go (echo, printf, cut, tr, sed s///, awk print,
// head, tail, wc, rev, basename, dirname, test, true, false, cat from stdin).
// Nothing ever runs on the host: other commands behave as "not found"
// (status 127, no output, a warning), and redirections other than to
// /dev/null fail without touching any file.

var (
	errShellSyntax = errors.New("shell syntax not supported by the sandbox")
	errBashism     = errors.New("bad substitution (bash-only syntax with a POSIX /bin/sh)")
)

// maxShellSteps bounds the work of one %(...) (loop iterations, commands).
const maxShellSteps = 10000

type shell struct {
	e     *expander
	vars  map[string]string
	steps int
	// status is the exit status of the last pipeline ($?).
	status int
}

func (e *expander) safeShell(script string) (string, error) {
	sh := &shell{e: e, vars: map[string]string{}}
	for k, v := range e.c.opts.Env {
		sh.vars[k] = v
	}
	p := &shParser{src: script}
	list, err := p.parseList("")
	if err != nil {
		return "", err
	}
	out, _, err := sh.runList(list, "")
	return out, err
}

// ---- syntax tree ----

type shNode interface{}

type shSimple struct {
	words   []string // raw words (quotes kept)
	assigns []string // raw name=value words
	redirs  []shRedir
}

type shRedir struct {
	op, target string
}

type shPipeline struct{ cmds []shNode }

type shAndOr struct {
	first shNode
	ops   []string // "&&" or "||"
	rest  []shNode
}

type shList struct{ items []shNode }

type shIf struct {
	conds, bodies []*shList
	elseBody      *shList
}

type shFor struct {
	name  string
	words []string
	body  *shList
}

// ---- parser ----

type shParser struct {
	src string
	pos int
}

func (p *shParser) skipBlanks() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n') {
		if p.src[p.pos] == '\\' {
			p.pos++
		}
		p.pos++
	}
}

// peekWord returns the next bare word without consuming it.
func (p *shParser) peekWord() string {
	save := p.pos
	w, _ := p.word()
	p.pos = save
	return w
}

func (p *shParser) parseList(terminators ...string) (*shList, error) {
	l := &shList{}
	for {
		p.skipBlanks()
		for p.pos < len(p.src) && (p.src[p.pos] == ';' || p.src[p.pos] == '\n') {
			p.pos++
			p.skipBlanks()
		}
		if p.pos >= len(p.src) || p.src[p.pos] == ')' {
			return l, nil
		}
		w := p.peekWord()
		for _, t := range terminators {
			if t != "" && w == t {
				return l, nil
			}
		}
		n, err := p.parseAndOr()
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, n)
	}
}

func (p *shParser) parseAndOr() (shNode, error) {
	first, err := p.parsePipeline()
	if err != nil {
		return nil, err
	}
	ao := &shAndOr{first: first}
	for {
		p.skipBlanks()
		rest := p.src[p.pos:]
		op := ""
		if strings.HasPrefix(rest, "&&") || strings.HasPrefix(rest, "||") {
			op = rest[:2]
		}
		if op == "" {
			return ao, nil
		}
		p.pos += 2
		for p.skipBlanks(); p.pos < len(p.src) && p.src[p.pos] == '\n'; p.skipBlanks() {
			p.pos++
		}
		n, err := p.parsePipeline()
		if err != nil {
			return nil, err
		}
		ao.ops = append(ao.ops, op)
		ao.rest = append(ao.rest, n)
	}
}

func (p *shParser) parsePipeline() (shNode, error) {
	pl := &shPipeline{}
	for {
		n, err := p.parseCommand()
		if err != nil {
			return nil, err
		}
		pl.cmds = append(pl.cmds, n)
		p.skipBlanks()
		if p.pos < len(p.src) && p.src[p.pos] == '|' && !strings.HasPrefix(p.src[p.pos:], "||") {
			p.pos++
			continue
		}
		return pl, nil
	}
}

func (p *shParser) expectWord(w string) error {
	p.skipBlanks()
	for p.pos < len(p.src) && (p.src[p.pos] == ';' || p.src[p.pos] == '\n') {
		p.pos++
		p.skipBlanks()
	}
	got, err := p.word()
	if err != nil || got != w {
		return fmt.Errorf("%w: expected %q", errShellSyntax, w)
	}
	return nil
}

func (p *shParser) parseCommand() (shNode, error) {
	p.skipBlanks()
	switch p.peekWord() {
	case "if":
		return p.parseIf()
	case "for":
		return p.parseFor()
	case "while", "until", "case", "function", "{", "(":
		return nil, fmt.Errorf("%w: %s", errShellSyntax, p.peekWord())
	}
	return p.parseSimple()
}

func (p *shParser) parseIf() (shNode, error) {
	n := &shIf{}
	_, _ = p.word()
	for {
		cond, err := p.parseList("then")
		if err != nil {
			return nil, err
		}
		if err := p.expectWord("then"); err != nil {
			return nil, err
		}
		body, err := p.parseList("elif", "else", "fi")
		if err != nil {
			return nil, err
		}
		n.conds, n.bodies = append(n.conds, cond), append(n.bodies, body)
		p.skipBlanks()
		switch w, _ := p.word(); w {
		case "elif":
			continue
		case "else":
			if n.elseBody, err = p.parseList("fi"); err != nil {
				return nil, err
			}
			return n, p.expectWord("fi")
		case "fi":
			return n, nil
		default:
			return nil, fmt.Errorf("%w: unterminated if", errShellSyntax)
		}
	}
}

func (p *shParser) parseFor() (shNode, error) {
	_, _ = p.word()
	p.skipBlanks()
	name, _ := p.word()
	n := &shFor{name: name}
	if err := p.expectWord("in"); err != nil {
		return nil, err
	}
	for {
		p.skipBlanks()
		if p.pos >= len(p.src) || p.src[p.pos] == ';' || p.src[p.pos] == '\n' {
			break
		}
		w, err := p.word()
		if err != nil {
			return nil, err
		}
		n.words = append(n.words, w)
	}
	if err := p.expectWord("do"); err != nil {
		return nil, err
	}
	body, err := p.parseList("done")
	if err != nil {
		return nil, err
	}
	n.body = body
	return n, p.expectWord("done")
}

func (p *shParser) parseSimple() (shNode, error) {
	s := &shSimple{}
	for {
		p.skipBlanks()
		if p.pos >= len(p.src) {
			break
		}
		c := p.src[p.pos]
		if c == ';' || c == '\n' || c == '|' || c == '&' || c == ')' {
			if c == '&' && !strings.HasPrefix(p.src[p.pos:], "&&") {
				return nil, fmt.Errorf("%w: background jobs", errShellSyntax)
			}
			break
		}
		if r, ok, err := p.redirection(); err != nil {
			return nil, err
		} else if ok {
			s.redirs = append(s.redirs, r)
			continue
		}
		w, err := p.word()
		if err != nil {
			return nil, err
		}
		if len(s.words) == 0 && isAssignment(w) {
			s.assigns = append(s.assigns, w)
			continue
		}
		s.words = append(s.words, w)
	}
	if len(s.words) == 0 && len(s.assigns) == 0 && len(s.redirs) == 0 {
		return nil, fmt.Errorf("%w: empty command", errShellSyntax)
	}
	return s, nil
}

func isAssignment(w string) bool {
	i := strings.IndexByte(w, '=')
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		if !isNameByte(w[j]) {
			return false
		}
	}
	return !isDigit(w[0])
}

// redirection parses [n]>file, [n]>>file, [n]>&m, <file and <<<word.
func (p *shParser) redirection() (shRedir, bool, error) {
	rest := p.src[p.pos:]
	i := 0
	for i < len(rest) && isDigit(rest[i]) {
		i++
	}
	var op string
	for _, o := range []string{"<<<", ">>", ">&", ">", "<"} {
		if strings.HasPrefix(rest[i:], o) {
			op = o
			break
		}
	}
	if op == "" {
		return shRedir{}, false, nil
	}
	p.pos += i + len(op)
	p.skipBlanks()
	w, err := p.word()
	if err != nil || w == "" {
		return shRedir{}, false, fmt.Errorf("%w: redirection without target", errShellSyntax)
	}
	return shRedir{op: rest[:i] + op, target: w}, true, nil
}

// word reads one raw word (quotes and expansions kept for later).
func (p *shParser) word() (string, error) {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&' || c == '<' || c == '>' || c == ')':
			return p.src[start:p.pos], nil
		case c == '\\':
			p.pos += 2
		case c == '\'':
			end := strings.IndexByte(p.src[p.pos+1:], '\'')
			if end < 0 {
				return "", fmt.Errorf("%w: unterminated quote", errShellSyntax)
			}
			p.pos += end + 2
		case c == '"' || c == '`':
			end := closingQuote(p.src, p.pos)
			if end < 0 {
				return "", fmt.Errorf("%w: unterminated quote", errShellSyntax)
			}
			p.pos = end + 1
		case c == '$' && p.pos+1 < len(p.src) && (p.src[p.pos+1] == '(' || p.src[p.pos+1] == '{'):
			open, closer := p.src[p.pos+1], byte(')')
			if open == '{' {
				closer = '}'
			}
			end := matchClose(p.src, p.pos+1, open, closer)
			if end < 0 {
				return "", fmt.Errorf("%w: unterminated $%c", errShellSyntax, open)
			}
			p.pos = end + 1
		default:
			p.pos++
		}
	}
	if p.pos > len(p.src) {
		p.pos = len(p.src)
	}
	return p.src[start:p.pos], nil
}

// closingQuote finds the quote closing the one at s[i], honouring escapes.
func closingQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return -1
}

// ---- execution ----

func (sh *shell) step() error {
	sh.steps++
	if sh.steps > maxShellSteps {
		return errors.New("shell step limit exceeded")
	}
	return sh.e.tick()
}

func (sh *shell) runList(l *shList, stdin string) (string, int, error) {
	var out strings.Builder
	status := 0
	for _, n := range l.items {
		o, st, err := sh.run(n, stdin)
		if err != nil {
			return "", 0, err
		}
		out.WriteString(o)
		status, sh.status = st, st
	}
	return out.String(), status, nil
}

func (sh *shell) run(n shNode, stdin string) (string, int, error) {
	if err := sh.step(); err != nil {
		return "", 0, err
	}
	switch n := n.(type) {
	case *shAndOr:
		return sh.runAndOr(n, stdin)
	case *shPipeline:
		data := stdin
		status := 0
		for _, c := range n.cmds {
			var err error
			if data, status, err = sh.run(c, data); err != nil {
				return "", 0, err
			}
		}
		return data, status, nil
	case *shSimple:
		return sh.runSimple(n, stdin)
	case *shIf:
		return sh.runIf(n, stdin)
	case *shFor:
		return sh.runFor(n, stdin)
	case *shList:
		return sh.runList(n, stdin)
	}
	return "", 1, errShellSyntax
}

func (sh *shell) runAndOr(n *shAndOr, stdin string) (string, int, error) {
	out, status, err := sh.run(n.first, stdin)
	if err != nil {
		return "", 0, err
	}
	sh.status = status
	var b strings.Builder
	b.WriteString(out)
	for i, op := range n.ops {
		if op == "&&" && status != 0 || op == "||" && status == 0 {
			continue
		}
		o, st, err := sh.run(n.rest[i], stdin)
		if err != nil {
			return "", 0, err
		}
		b.WriteString(o)
		status, sh.status = st, st
	}
	return b.String(), status, nil
}

func (sh *shell) runIf(n *shIf, stdin string) (string, int, error) {
	for i, c := range n.conds {
		o, st, err := sh.runList(c, stdin)
		if err != nil {
			return "", 0, err
		}
		if st == 0 {
			b, st, err := sh.runList(n.bodies[i], stdin)
			return o + b, st, err
		}
		if o != "" {
			return o, st, nil
		}
	}
	if n.elseBody != nil {
		return sh.runList(n.elseBody, stdin)
	}
	return "", 0, nil
}

func (sh *shell) runFor(n *shFor, stdin string) (string, int, error) {
	var items []string
	for _, w := range n.words {
		f, err := sh.expandWord(w, true)
		if err != nil {
			return "", 0, err
		}
		items = append(items, f...)
	}
	var b strings.Builder
	status := 0
	for _, it := range items {
		sh.vars[n.name] = it
		o, st, err := sh.runList(n.body, stdin)
		if err != nil {
			return "", 0, err
		}
		b.WriteString(o)
		status = st
	}
	return b.String(), status, nil
}

func (sh *shell) runSimple(n *shSimple, stdin string) (string, int, error) {
	var args []string
	for _, w := range n.words {
		f, err := sh.expandWord(w, true)
		if err != nil {
			return "", 0, err
		}
		args = append(args, f...)
	}
	for _, a := range n.assigns {
		i := strings.IndexByte(a, '=')
		v, err := sh.expandWord(a[i+1:], false)
		if err != nil {
			return "", 0, err
		}
		if len(args) == 0 {
			sh.vars[a[:i]] = strings.Join(v, "")
		}
	}
	discard := false
	for _, r := range n.redirs {
		switch {
		case strings.HasSuffix(r.op, "<<<"):
			if sh.e.c.opts.PosixShell {
				return "", 0, errBashism
			}
			v, err := sh.expandWord(r.target, false)
			if err != nil {
				return "", 0, err
			}
			stdin = strings.Join(v, "") + "\n"
		case strings.Contains(r.op, ">&"):
		case strings.Contains(r.op, ">") && r.target == "/dev/null":
			discard = discard || r.op == ">" || r.op == "1>" || r.op == ">>"
		default:
			sh.e.c.warn("%%(...): redirection %s%s refused by the sandbox", r.op, r.target)
			return "", 1, nil
		}
	}
	if len(args) == 0 {
		return "", 0, nil
	}
	out, status := sh.command(args, stdin)
	if discard {
		out = ""
	}
	return out, status, nil
}

// ---- word expansion ----

// expandWord performs quote removal and expansions; with split, unquoted
// expansion results are split into fields.
func (sh *shell) expandWord(w string, split bool) ([]string, error) {
	var fields []string
	var cur strings.Builder
	have := false
	flush := func() {
		if have {
			fields = append(fields, cur.String())
		}
		cur.Reset()
		have = false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch c {
		case '\\':
			if i+1 < len(w) {
				i++
				if w[i] != '\n' {
					cur.WriteByte(w[i])
					have = true
				}
			}
		case '\'':
			end := strings.IndexByte(w[i+1:], '\'')
			cur.WriteString(w[i+1 : i+1+end])
			have = true
			i += end + 1
		case '"':
			end := closingQuote(w, i)
			s, err := sh.expandQuoted(w[i+1 : end])
			if err != nil {
				return nil, err
			}
			cur.WriteString(s)
			have = true
			i = end
		case '$', '`':
			v, n, err := sh.expansion(w[i:])
			if err != nil {
				return nil, err
			}
			i += n - 1
			if !split {
				cur.WriteString(v)
				have = true
				continue
			}
			parts := strings.Fields(v)
			for j, part := range parts {
				if j > 0 {
					flush()
				}
				cur.WriteString(part)
				have = true
			}
			if len(v) > 0 && strings.TrimRight(v, " \t\n") != v {
				flush()
			}
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	flush()
	if !split && len(fields) == 0 {
		fields = []string{""}
	}
	return fields, nil
}

// expandQuoted expands the inside of "...".
func (sh *shell) expandQuoted(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
				i++
				if s[i] != '\n' {
					b.WriteByte(s[i])
				}
				continue
			}
			b.WriteByte(c)
		case '$', '`':
			v, n, err := sh.expansion(s[i:])
			if err != nil {
				return "", err
			}
			b.WriteString(v)
			i += n - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// expansion expands the $... or `...` at the start of s and returns the
// value and the length consumed.
func (sh *shell) expansion(s string) (string, int, error) {
	if s[0] == '`' {
		end := closingQuote(s, 0)
		if end < 0 {
			return "", 0, errShellSyntax
		}
		out, err := sh.subshell(s[1:end])
		return out, end + 1, err
	}
	if len(s) < 2 {
		return "$", 1, nil
	}
	switch {
	case strings.HasPrefix(s, "$(("):
		end := matchClose(s, 1, '(', ')')
		if end < 0 {
			return "", 0, errShellSyntax
		}
		v, err := sh.arith(s[3 : end-1])
		return v, end + 1, err
	case s[1] == '(':
		end := matchClose(s, 1, '(', ')')
		if end < 0 {
			return "", 0, errShellSyntax
		}
		out, err := sh.subshell(s[2:end])
		return out, end + 1, err
	case s[1] == '{':
		end := matchClose(s, 1, '{', '}')
		if end < 0 {
			return "", 0, errShellSyntax
		}
		v, err := sh.param(s[2:end])
		return v, end + 1, err
	case isNameByte(s[1]) && !isDigit(s[1]):
		n := 1
		for n < len(s) && isNameByte(s[n]) {
			n++
		}
		return sh.vars[s[1:n]], n, nil
	case s[1] == '?':
		return strconv.Itoa(sh.status), 2, nil
	case isDigit(s[1]) || s[1] == '#' || s[1] == '@' || s[1] == '*':
		return "", 2, nil
	}
	return "$", 1, nil
}

// subshell runs a command substitution; trailing newlines are removed.
func (sh *shell) subshell(script string) (string, error) {
	p := &shParser{src: script}
	l, err := p.parseList("")
	if err != nil {
		return "", err
	}
	saved := map[string]string{}
	for k, v := range sh.vars {
		saved[k] = v
	}
	out, _, err := sh.runList(l, "")
	sh.vars = saved
	return strings.TrimRight(out, "\n"), err
}

// param implements ${...} parameter expansion.
func (sh *shell) param(s string) (string, error) {
	if strings.HasPrefix(s, "#") {
		return strconv.Itoa(len(sh.vars[s[1:]])), nil
	}
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	name, op := s[:n], s[n:]
	v := sh.vars[name]
	if sh.e.c.opts.PosixShell && (op == ",," || op == "^^" || strings.HasPrefix(op, "/") ||
		strings.HasPrefix(op, ":") && !strings.HasPrefix(op, ":-") && !strings.HasPrefix(op, ":=") && !strings.HasPrefix(op, ":+")) {
		return "", errBashism
	}
	switch {
	case op == "":
		return v, nil
	case op == ",,":
		return strings.ToLower(v), nil
	case op == "^^":
		return strings.ToUpper(v), nil
	case strings.HasPrefix(op, ":-") || strings.HasPrefix(op, ":="):
		if v == "" {
			return sh.expandString(op[2:])
		}
		return v, nil
	case strings.HasPrefix(op, ":+"):
		if v != "" {
			return sh.expandString(op[2:])
		}
		return "", nil
	case strings.HasPrefix(op, ":"):
		return sh.substring(v, op[1:])
	case strings.HasPrefix(op, "%%") || strings.HasPrefix(op, "%"):
		longest := strings.HasPrefix(op, "%%")
		pat, err := sh.expandString(strings.TrimLeft(op, "%"))
		if err != nil {
			return "", err
		}
		return trimSuffixPattern(v, pat, longest), nil
	case strings.HasPrefix(op, "##") || strings.HasPrefix(op, "#"):
		longest := strings.HasPrefix(op, "##")
		pat, err := sh.expandString(strings.TrimLeft(op, "#"))
		if err != nil {
			return "", err
		}
		return trimPrefixPattern(v, pat, longest), nil
	case strings.HasPrefix(op, "/"):
		all := strings.HasPrefix(op, "//")
		body := strings.TrimPrefix(op[1:], "/")
		pat, rep, _ := strings.Cut(body, "/")
		return replacePattern(v, pat, rep, all), nil
	}
	return "", fmt.Errorf("%w: ${%s}", errShellSyntax, s)
}

func (sh *shell) expandString(s string) (string, error) {
	f, err := sh.expandWord(s, false)
	return strings.Join(f, ""), err
}

func (sh *shell) substring(v, spec string) (string, error) {
	offText, lenText, hasLen := strings.Cut(spec, ":")
	off, err := sh.arithInt(offText)
	if err != nil {
		return "", err
	}
	if off < 0 {
		off += int64(len(v))
	}
	off = max(0, min(off, int64(len(v))))
	end := int64(len(v))
	if hasLen {
		l, err := sh.arithInt(lenText)
		if err != nil {
			return "", err
		}
		if l < 0 {
			end = max(off, int64(len(v))+l)
		} else {
			end = min(end, off+l)
		}
	}
	return v[off:end], nil
}

// globMatch matches s against a shell pattern (* ? and [...]).
func globMatch(pat, s string) bool {
	if pat == "" {
		return s == ""
	}
	switch pat[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pat[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pat[1:], s[1:])
	case '[':
		end := strings.IndexByte(pat[1:], ']')
		if end >= 0 && s != "" {
			set := pat[1 : end+1]
			neg := strings.HasPrefix(set, "!") || strings.HasPrefix(set, "^")
			if neg {
				set = set[1:]
			}
			if inSet(set, s[0]) != neg {
				return globMatch(pat[end+2:], s[1:])
			}
			return false
		}
	case '\\':
		if len(pat) > 1 {
			return s != "" && s[0] == pat[1] && globMatch(pat[2:], s[1:])
		}
	}
	return s != "" && s[0] == pat[0] && globMatch(pat[1:], s[1:])
}

func inSet(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if i+2 < len(set) && set[i+1] == '-' {
			if c >= set[i] && c <= set[i+2] {
				return true
			}
			i += 2
			continue
		}
		if set[i] == c {
			return true
		}
	}
	return false
}

func trimSuffixPattern(v, pat string, longest bool) string {
	if longest {
		for i := 0; i <= len(v); i++ {
			if globMatch(pat, v[i:]) {
				return v[:i]
			}
		}
		return v
	}
	for i := len(v); i >= 0; i-- {
		if globMatch(pat, v[i:]) {
			return v[:i]
		}
	}
	return v
}

func trimPrefixPattern(v, pat string, longest bool) string {
	if longest {
		for i := len(v); i >= 0; i-- {
			if globMatch(pat, v[:i]) {
				return v[i:]
			}
		}
		return v
	}
	for i := 0; i <= len(v); i++ {
		if globMatch(pat, v[:i]) {
			return v[i:]
		}
	}
	return v
}

func replacePattern(v, pat, rep string, all bool) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		matched := -1
		for j := len(v); j > i; j-- {
			if globMatch(pat, v[i:j]) {
				matched = j
				break
			}
		}
		if matched < 0 || pat == "" {
			b.WriteByte(v[i])
			i++
			continue
		}
		b.WriteString(rep)
		i = matched
		if !all {
			b.WriteString(v[i:])
			return b.String()
		}
	}
	return b.String()
}

// arith evaluates $(( )) with the %[ ] expression evaluator after
// substituting variables.
func (sh *shell) arith(s string) (string, error) {
	n, err := sh.arithInt(s)
	return strconv.FormatInt(n, 10), err
}

func (sh *shell) arithInt(s string) (int64, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$' || c == '`':
			v, n, err := sh.expansion(s[i:])
			if err != nil {
				return 0, err
			}
			b.WriteString(v)
			i += n - 1
		case isAlpha(c) || c == '_':
			j := i
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			v := sh.vars[s[i:j]]
			if v == "" {
				v = "0"
			}
			b.WriteString(v)
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	text := strings.TrimSpace(b.String())
	if text == "" {
		return 0, nil
	}
	p := &exprParser{src: text}
	v, err := p.parse()
	if err != nil || v.Kind != KindInt {
		return 0, fmt.Errorf("%w: arithmetic %q", errShellSyntax, s)
	}
	return v.Int, nil
}
