package macro

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// sedSub is one s/re/repl/flags command.
type sedSub struct {
	re     *regexp.Regexp
	repl   string
	global bool
	nth    int
}

// sed supports scripts made of s commands (any delimiter, flags g, N, I).
func (sh *shell) sed(args []string, in string) (string, int) {
	var scripts []string
	ere := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-e" && i+1 < len(args):
			scripts = append(scripts, args[i+1])
			i++
		case a == "-E" || a == "-r" || a == "--regexp-extended":
			ere = true
		case a == "-n" || strings.HasPrefix(a, "-i"):
			sh.e.c.warn("%%(...): sed %s is not supported by the sandbox", a)
			return "", 1
		case len(scripts) == 0 || strings.HasPrefix(a, "-"):
			if !strings.HasPrefix(a, "-") {
				scripts = append(scripts, a)
			}
		default:
			sh.e.c.warn("%%(...): sed on files is not allowed in the sandbox")
			return "", 1
		}
	}
	var subs []sedSub
	for _, s := range scripts {
		parsed, err := parseSedScript(s, ere)
		if err != nil {
			sh.e.c.warn("%%(...): sed: %v", err)
			return "", 1
		}
		subs = append(subs, parsed...)
	}
	return lines(in, func(l string) string {
		for _, s := range subs {
			l = s.apply(l)
		}
		return l
	}), 0
}

func (s sedSub) apply(l string) string {
	n := 0
	return s.re.ReplaceAllStringFunc(l, func(m string) string {
		n++
		if !s.global && n != max(1, s.nth) {
			return m
		}
		sub := s.re.FindStringSubmatch(m)
		var b strings.Builder
		for i := 0; i < len(s.repl); i++ {
			c := s.repl[i]
			switch {
			case c == '&':
				b.WriteString(sub[0])
			case c == '\\' && i+1 < len(s.repl):
				i++
				d := s.repl[i]
				switch {
				case isDigit(d):
					if k := int(d - '0'); k < len(sub) {
						b.WriteString(sub[k])
					}
				case d == 'n':
					b.WriteByte('\n')
				case d == 't':
					b.WriteByte('\t')
				default:
					b.WriteByte(d)
				}
			default:
				b.WriteByte(c)
			}
		}
		return b.String()
	})
}

func parseSedScript(script string, ere bool) ([]sedSub, error) {
	var out []sedSub
	s := strings.TrimSpace(script)
	for s != "" {
		if s[0] == ';' || s[0] == '\n' || s[0] == ' ' {
			s = s[1:]
			continue
		}
		if s[0] != 's' || len(s) < 2 {
			return nil, fmt.Errorf("only s/// commands are supported, not %q", clip(s))
		}
		delim := s[1]
		parts, rest, ok := splitSed(s[2:], delim)
		if !ok {
			return nil, fmt.Errorf("unterminated s command %q", clip(s))
		}
		flagEnd := 0
		for flagEnd < len(rest) && rest[flagEnd] != ';' && rest[flagEnd] != '\n' && rest[flagEnd] != '}' {
			flagEnd++
		}
		flags := strings.TrimSpace(rest[:flagEnd])
		pat := parts[0]
		if strings.Contains(flags, "I") {
			pat = "(?i)" + toGoRegexp(pat, ere)
		} else {
			pat = toGoRegexp(pat, ere)
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, err
		}
		sub := sedSub{re: re, repl: parts[1], global: strings.Contains(flags, "g")}
		if n, err := strconv.Atoi(strings.Trim(flags, "gIp")); err == nil {
			sub.nth = n
		}
		out = append(out, sub)
		s = rest[flagEnd:]
	}
	return out, nil
}

// splitSed splits "re<d>repl<d>rest" honouring backslash escapes of d.
func splitSed(s string, d byte) ([2]string, string, bool) {
	var parts [2]string
	var cur strings.Builder
	k := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			if s[i+1] == d {
				cur.WriteByte(d)
			} else {
				cur.WriteByte(c)
				cur.WriteByte(s[i+1])
			}
			i++
			continue
		}
		if c == d {
			parts[k] = cur.String()
			cur.Reset()
			k++
			if k == 2 {
				return parts, s[i+1:], true
			}
			continue
		}
		cur.WriteByte(c)
	}
	return parts, "", false
}

// toGoRegexp converts a POSIX basic (or extended) regular expression.
func toGoRegexp(re string, ere bool) string {
	if ere {
		return re
	}
	var b strings.Builder
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\' && i+1 < len(re):
			i++
			switch d := re[i]; d {
			case '(', ')', '{', '}', '+', '?', '|':
				b.WriteByte(d)
			case 'n':
				b.WriteString(`\n`)
			default:
				b.WriteByte('\\')
				b.WriteByte(d)
			}
		case c == '[':
			end := bracketEnd(re, i)
			b.WriteString(re[i : end+1])
			i = end
		case strings.IndexByte("(){}+?|", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// bracketEnd returns the index of the ] closing the bracket expression at i.
func bracketEnd(re string, i int) int {
	j := i + 1
	if j < len(re) && re[j] == '^' {
		j++
	}
	if j < len(re) && re[j] == ']' {
		j++
	}
	for ; j < len(re); j++ {
		if re[j] == '[' && j+1 < len(re) && re[j+1] == ':' {
			if k := strings.Index(re[j:], ":]"); k > 0 {
				j += k + 1
				continue
			}
		}
		if re[j] == ']' {
			return j
		}
	}
	return len(re) - 1
}

// awk supports programs of the form '{print expr, ...}' (fields $N, $NF,
// NF, string literals, concatenation) with -F.
func (sh *shell) awk(args []string, in string) (string, int) {
	sep, prog := "", ""
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-F" && i+1 < len(args):
			sep = unescapeC(args[i+1])
			i++
		case strings.HasPrefix(a, "-F"):
			sep = unescapeC(a[2:])
		case prog == "":
			prog = a
		default:
			sh.e.c.warn("%%(...): awk on files is not allowed in the sandbox")
			return "", 1
		}
	}
	st, ok := parseAwk(prog)
	if !ok {
		sh.e.c.warn("%%(...): awk program %q is not supported by the sandbox", clip(prog))
		return "", 1
	}
	if in == "" {
		return "", 0
	}
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(in, "\n"), "\n") {
		var f []string
		if sep == "" || sep == " " {
			f = strings.Fields(l)
		} else {
			f = strings.Split(l, sep)
		}
		b.WriteString(st.run(f, l))
	}
	return b.String(), 0
}

// awkStatement is the one statement of a supported awk program:
// {print items} or {printf format, items...}.
type awkStatement struct {
	printf bool
	// args are the print items, or the printf format and arguments.
	args [][]awkItem
}

var awkPrintf = regexp.MustCompile(`^\s*\{\s*printf\s*\(?\s*(.*?)\s*\)?\s*;?\s*\}\s*$`)

// parseAwk parses a supported awk program.
func parseAwk(prog string) (awkStatement, bool) {
	m := awkPrintf.FindStringSubmatch(prog)
	if m == nil {
		items, ok := parseAwkPrint(prog)
		return awkStatement{args: [][]awkItem{items}}, ok
	}
	st := awkStatement{printf: true}
	for _, a := range splitAwkArgs(m[1]) {
		items, ok := parseAwkItems(a)
		if !ok || len(items) == 0 {
			return st, false
		}
		st.args = append(st.args, items)
	}
	return st, len(st.args) > 0
}

// splitAwkArgs splits printf's arguments at commas outside strings.
func splitAwkArgs(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			if end := closingQuote(s, i); end > 0 {
				i = end
			}
		case ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// run gives the statement's output for one input line.
func (st awkStatement) run(f []string, line string) string {
	vals := make([]string, len(st.args))
	for i, items := range st.args {
		var b strings.Builder
		for _, it := range items {
			b.WriteString(it.eval(f, line))
		}
		vals[i] = b.String()
	}
	if st.printf {
		return shPrintf(vals[0], vals[1:])
	}
	return vals[0] + "\n"
}

type awkItem struct {
	lit   string
	field int // -1: none, -2: $NF
	nf    bool
}

func (a awkItem) eval(f []string, line string) string {
	switch {
	case a.nf:
		return strconv.Itoa(len(f))
	case a.field == 0:
		return line
	case a.field == -2:
		if len(f) > 0 {
			return f[len(f)-1]
		}
		return ""
	case a.field > 0:
		if a.field <= len(f) {
			return f[a.field-1]
		}
		return ""
	}
	return a.lit
}

var awkProg = regexp.MustCompile(`^\s*\{\s*print\s*(.*?)\s*;?\s*\}\s*$`)

func parseAwkPrint(prog string) ([]awkItem, bool) {
	m := awkProg.FindStringSubmatch(prog)
	if m == nil {
		return nil, false
	}
	if m[1] == "" {
		return []awkItem{{field: 0}}, true
	}
	return parseAwkItems(m[1])
}

// parseAwkItems parses print's items: strings, $n, $NF, NF; a comma
// stands for the output separator.
func parseAwkItems(s string) ([]awkItem, bool) {
	var items []awkItem
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == ',':
			items = append(items, awkItem{lit: " ", field: -1})
			i++
		case c == '"':
			end := closingQuote(s, i)
			if end < 0 {
				return nil, false
			}
			items = append(items, awkItem{lit: unescapeC(s[i+1 : end]), field: -1})
			i = end + 1
		case c == '$':
			j := i + 1
			for j < len(s) && (isAlnum(s[j])) {
				j++
			}
			ref := s[i+1 : j]
			if ref == "NF" {
				items = append(items, awkItem{field: -2})
			} else if n, err := strconv.Atoi(ref); err == nil {
				items = append(items, awkItem{field: n})
			} else {
				return nil, false
			}
			i = j
		case strings.HasPrefix(s[i:], "NF"):
			items = append(items, awkItem{nf: true, field: -1})
			i += 2
		default:
			return nil, false
		}
	}
	return items, true
}
