package macro

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// command runs one sandboxed command and returns its output and status.
func (sh *shell) command(args []string, stdin string) (string, int) {
	name, rest := args[0], args[1:]
	switch name {
	case "echo":
		return shEcho(rest), 0
	case "printf":
		if len(rest) == 0 {
			return "", 1
		}
		return shPrintf(rest[0], rest[1:]), 0
	case "true", ":":
		return "", 0
	case "false":
		return "", 1
	case "test", "[":
		if name == "[" && len(rest) > 0 && rest[len(rest)-1] == "]" {
			rest = rest[:len(rest)-1]
		}
		if sh.test(rest) {
			return "", 0
		}
		return "", 1
	case "cat":
		if len(rest) == 0 || rest[0] == "-" {
			return stdin, 0
		}
	case "cut":
		return lines(stdin, func(l string) string { return shCut(rest, l) }), 0
	case "tr":
		return shTr(rest, stdin), 0
	case "sed":
		return sh.sed(rest, stdin)
	case "awk", "gawk":
		return sh.awk(rest, stdin)
	case "eval":
		return sh.eval(strings.Join(rest, " "), stdin)
	case "grep", "egrep", "fgrep":
		return sh.grep(name, rest, stdin)
	case "head", "tail":
		return shHeadTail(name == "head", rest, stdin), 0
	case "wc":
		return shWc(rest, stdin), 0
	case "rev":
		return lines(stdin, reverseString), 0
	case "basename":
		if len(rest) > 0 {
			b := path.Base(rest[0])
			if len(rest) > 1 {
				b = strings.TrimSuffix(b, rest[1])
			}
			return b + "\n", 0
		}
	case "dirname":
		if len(rest) > 0 {
			return path.Dir(rest[0]) + "\n", 0
		}
	}
	sh.e.c.warn("%%(...): command %q is not available in the sandbox; it produces no output", name)
	return "", 127
}

// lines applies f to every line of s (a missing final newline is added).
func lines(s string, f func(string) string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		b.WriteString(f(l))
		b.WriteByte('\n')
	}
	return b.String()
}

func reverseString(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func shEcho(args []string) string {
	newline, escapes := true, false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && strings.Trim(args[0][1:], "neE") == "" {
		newline = newline && !strings.Contains(args[0], "n")
		escapes = strings.Contains(args[0], "e")
		args = args[1:]
	}
	s := strings.Join(args, " ")
	if escapes {
		s = unescapeC(s)
	}
	if newline {
		s += "\n"
	}
	return s
}

// unescapeC interprets backslash escapes as printf and echo -e do.
func unescapeC(s string) string {
	r := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`, `\r`, "\r", `\a`, "\a", `\b`, "\b", `\v`, "\v", `\f`, "\f")
	return r.Replace(s)
}

var printfVerb = regexp.MustCompile(`%[-+ #0]*[0-9]*(\.[0-9]+)?[sdiouxXcfeEgG%]`)

// shPrintf formats like printf(1), reusing the format for extra arguments.
func shPrintf(format string, args []string) string {
	format = unescapeC(format)
	var b strings.Builder
	for first := true; first || len(args) > 0; first = false {
		used := 0
		b.WriteString(printfVerb.ReplaceAllStringFunc(format, func(v string) string {
			if v == "%%" {
				return "%"
			}
			arg := ""
			if used < len(args) {
				arg = args[used]
			}
			used++
			verb := v[len(v)-1]
			switch verb {
			case 'd', 'i', 'o', 'u', 'x', 'X', 'c':
				n, _ := strconv.ParseInt(strings.TrimLeft(arg, "0"), 10, 64)
				if verb == 'i' || verb == 'u' {
					v = v[:len(v)-1] + "d"
				}
				if verb == 'c' {
					return string(arg[:min(1, len(arg))])
				}
				return fmt.Sprintf(v, n)
			case 'f', 'e', 'E', 'g', 'G':
				f, _ := strconv.ParseFloat(arg, 64)
				return fmt.Sprintf(v, f)
			}
			return fmt.Sprintf(v, arg)
		}))
		if used == 0 || used >= len(args) {
			break
		}
		args = args[used:]
	}
	return b.String()
}

// fieldList parses a cut list such as "1-2,4,6-".
func inFieldList(list string, n int) bool {
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := strconv.Atoi(lo)
		if !isRange {
			if errA == nil && a == n {
				return true
			}
			continue
		}
		if errA != nil {
			a = 1
		}
		b, errB := strconv.Atoi(hi)
		if errB != nil {
			b = 1 << 30
		}
		if n >= a && n <= b {
			return true
		}
	}
	return false
}

func shCut(args []string, line string) string {
	delim, fields, chars := "\t", "", ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func(flag string) string {
			if len(a) > len(flag) {
				return a[len(flag):]
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case strings.HasPrefix(a, "-d"):
			delim = val("-d")
		case strings.HasPrefix(a, "-f"):
			fields = val("-f")
		case strings.HasPrefix(a, "-c") || strings.HasPrefix(a, "-b"):
			chars = val(a[:2])
		}
	}
	if chars != "" {
		var b strings.Builder
		for i := 0; i < len(line); i++ {
			if inFieldList(chars, i+1) {
				b.WriteByte(line[i])
			}
		}
		return b.String()
	}
	if delim == "" || !strings.Contains(line, delim[:1]) {
		return line
	}
	parts := strings.Split(line, delim[:1])
	var out []string
	for i, p := range parts {
		if inFieldList(fields, i+1) {
			out = append(out, p)
		}
	}
	return strings.Join(out, delim[:1])
}

// trSet expands a tr character set (ranges, escapes, [:class:]).
func trSet(s string) []byte {
	classes := map[string]string{
		"[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "[:lower:]": "abcdefghijklmnopqrstuvwxyz",
		"[:digit:]": "0123456789", "[:space:]": " \t\n\r\v\f", "[:blank:]": " \t",
	}
	s = unescapeC(s)
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '[' {
			if end := strings.Index(s[i:], ":]"); end > 0 {
				if c, ok := classes[s[i:i+end+2]]; ok {
					out = append(out, c...)
					i += end + 1
					continue
				}
			}
		}
		if i+2 < len(s) && s[i+1] == '-' {
			for c := int(s[i]); c <= int(s[i+2]); c++ {
				out = append(out, byte(c))
			}
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func shTr(args []string, in string) string {
	del, squeeze := false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		del = del || strings.Contains(args[0], "d")
		squeeze = squeeze || strings.Contains(args[0], "s")
		args = args[1:]
	}
	if len(args) == 0 {
		return in
	}
	set1 := trSet(args[0])
	var set2 []byte
	if len(args) > 1 {
		set2 = trSet(args[1])
	}
	var b strings.Builder
	var last byte
	for i := 0; i < len(in); i++ {
		c := in[i]
		k := strings.IndexByte(string(set1), c)
		if k >= 0 {
			if del {
				continue
			}
			if len(set2) > 0 {
				c = set2[min(k, len(set2)-1)]
			}
			if squeeze && b.Len() > 0 && last == c {
				continue
			}
		}
		b.WriteByte(c)
		last = c
	}
	return b.String()
}

func shHeadTail(head bool, args []string, in string) string {
	n, bytes := 10, false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-n" || a == "-c":
			bytes = a == "-c"
			if i+1 < len(args) {
				n, _ = strconv.Atoi(args[i+1])
				i++
			}
		case strings.HasPrefix(a, "-c"):
			bytes = true
			n, _ = strconv.Atoi(a[2:])
		case strings.HasPrefix(a, "-n"):
			n, _ = strconv.Atoi(a[2:])
		case strings.HasPrefix(a, "-"):
			n, _ = strconv.Atoi(a[1:])
		}
	}
	if bytes {
		if head {
			return in[:min(n, len(in))]
		}
		return in[max(0, len(in)-n):]
	}
	ls := strings.SplitAfter(in, "\n")
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	if head {
		return strings.Join(ls[:min(n, len(ls))], "")
	}
	return strings.Join(ls[max(0, len(ls)-n):], "")
}

func shWc(args []string, in string) string {
	switch {
	case len(args) > 0 && args[0] == "-c":
		return strconv.Itoa(len(in)) + "\n"
	case len(args) > 0 && args[0] == "-w":
		return strconv.Itoa(len(strings.Fields(in))) + "\n"
	}
	return strconv.Itoa(strings.Count(in, "\n")) + "\n"
}

// test implements test(1) for the common unary and binary operators; file
// tests look only inside the allowed roots.
func (sh *shell) test(a []string) bool {
	if len(a) > 0 && a[0] == "!" {
		return !sh.test(a[1:])
	}
	switch len(a) {
	case 0:
		return false
	case 1:
		return a[0] != ""
	case 2:
		switch a[0] {
		case "-n":
			return a[1] != ""
		case "-z":
			return a[1] == ""
		case "-d", "-e", "-f", "-r", "-x", "-s":
			_, ok := sh.e.c.allowedPath(a[1])
			return ok && fileExists(a[1])
		}
	case 3:
		x, y := a[0], a[2]
		xi, _ := strconv.ParseInt(x, 10, 64)
		yi, _ := strconv.ParseInt(y, 10, 64)
		switch a[1] {
		case "=", "==":
			return x == y
		case "!=":
			return x != y
		case "-eq":
			return xi == yi
		case "-ne":
			return xi != yi
		case "-lt":
			return xi < yi
		case "-le":
			return xi <= yi
		case "-gt":
			return xi > yi
		case "-ge":
			return xi >= yi
		}
	}
	if i := indexOf(a, "-o"); i > 0 {
		return sh.test(a[:i]) || sh.test(a[i+1:])
	}
	if i := indexOf(a, "-a"); i > 0 {
		return sh.test(a[:i]) && sh.test(a[i+1:])
	}
	return false
}

func indexOf(a []string, s string) int {
	for i, x := range a {
		if x == s {
			return i
		}
	}
	return -1
}

// eval runs its arguments, joined by blanks, as a command list.
func (sh *shell) eval(script, stdin string) (string, int) {
	list, err := (&shParser{src: script}).parseList("")
	if err == nil {
		var out string
		var status int
		if out, status, err = sh.runList(list, stdin); err == nil {
			return out, status
		}
	}
	sh.e.c.warn("%%(...): eval %q: %v", clip(script), err)
	return "", 2
}

// grepFlags are the grep options the sandbox supports.
type grepFlags struct {
	quiet, invert, count, icase, ere, fixed, whole bool
}

// grep filters standard input (reading files is not allowed) with the
// options -q -s -v -c -i -E -F -x and -e.
func (sh *shell) grep(name string, args []string, stdin string) (string, int) {
	f := grepFlags{ere: name == "egrep", fixed: name == "fgrep"}
	var pats []string
	patGiven := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-e" && i+1 < len(args):
			pats, patGiven = append(pats, args[i+1]), true
			i++
		case len(a) > 1 && a[0] == '-':
			if !f.set(a[1:]) {
				sh.e.c.warn("%%(...): grep option %q is not supported by the sandbox", a)
				return "", 2
			}
		case !patGiven:
			pats, patGiven = append(pats, a), true
		default:
			sh.e.c.warn("%%(...): grep on files is not allowed in the sandbox")
			return "", 2
		}
	}
	re, err := f.compile(pats)
	if err != nil || !patGiven {
		return "", 2
	}
	var out strings.Builder
	n := 0
	for _, l := range strings.Split(strings.TrimSuffix(stdin, "\n"), "\n") {
		if stdin == "" || re.MatchString(l) == f.invert {
			continue
		}
		n++
		out.WriteString(l + "\n")
	}
	status := 0
	if n == 0 {
		status = 1
	}
	switch {
	case f.quiet:
		return "", status
	case f.count:
		return strconv.Itoa(n) + "\n", status
	}
	return out.String(), status
}

// set records single-letter options; it reports whether all are known.
func (f *grepFlags) set(opts string) bool {
	for _, o := range opts {
		switch o {
		case 'q', 's':
			f.quiet = f.quiet || o == 'q'
		case 'v':
			f.invert = true
		case 'c':
			f.count = true
		case 'i':
			f.icase = true
		case 'E':
			f.ere = true
		case 'F':
			f.fixed = true
		case 'x':
			f.whole = true
		default:
			return false
		}
	}
	return true
}

// compile turns grep patterns into one Go regular expression.
func (f grepFlags) compile(pats []string) (*regexp.Regexp, error) {
	alts := make([]string, len(pats))
	for i, p := range pats {
		if f.fixed {
			p = regexp.QuoteMeta(p)
		} else {
			p = toGoRegexp(p, f.ere)
		}
		if f.whole {
			p = "^(?:" + p + ")$"
		}
		alts[i] = "(?:" + p + ")"
	}
	re := strings.Join(alts, "|")
	if f.icase {
		re = "(?i)" + re
	}
	return regexp.Compile(re)
}
