package macro

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// Kind is the type of an expression value.
type Kind int

// Expression value kinds.
const (
	KindInt Kind = iota
	KindString
	KindVersion
)

// Value is the result of an rpm expression.
type Value struct {
	Kind Kind
	Int  int64
	Str  string
}

// String formats v as %[...] prints it.
func (v Value) String() string {
	if v.Kind == KindInt {
		return formatInt(v.Int)
	}
	return v.Str
}

// Truth reports whether v counts as true in %if.
func (v Value) Truth() bool {
	if v.Kind == KindInt {
		return v.Int != 0
	}
	return v.Str != ""
}

func formatInt(i int64) string { return strconv.FormatInt(i, 10) }

// exprParser is a recursive-descent evaluator over one expression string.
// With skip set it parses without expanding macros or raising value errors,
// which gives &&, || and ?: their short-circuit behaviour.
type exprParser struct {
	src  string
	pos  int
	skip bool
	// expand expands macro text found in the expression; nil means macros are
	// not allowed.
	expand func(string) (string, error)
}

var errExpr = errors.New("expression error")

type exprError struct {
	msg string
}

func (e *exprError) Error() string { return e.msg }
func (e *exprError) Unwrap() error { return errExpr }

func (p *exprParser) fail(msg string) error {
	return &exprError{msg: msg + ": " + p.src}
}

// EvalExpr evaluates an rpm expression (the %[...] language), expanding
// macros referenced in it.
func (c *Context) EvalExpr(ctx context.Context, s string) (Value, error) {
	var v Value
	_, err := c.withExpander(ctx, func(e *expander) error {
		var err error
		v, err = e.evalExpr(s)
		return err
	})
	return v, err
}

// withExpander runs fn with the active expander, creating one if needed.
func (c *Context) withExpander(ctx context.Context, fn func(*expander) error) (bool, error) {
	if c.exp != nil {
		return false, fn(c.exp)
	}
	e := c.newExpander(ctx)
	c.exp = e
	defer c.release(e)
	return true, fn(e)
}

func (e *expander) evalExpr(s string) (Value, error) {
	p := &exprParser{src: s, expand: e.expandString}
	v, err := p.parse()
	if err != nil {
		var xe *exprError
		if errors.As(err, &xe) {
			return Value{}, e.c.errorf("%s", xe.msg)
		}
		return Value{}, err
	}
	return v, nil
}

// exprMacro implements %[...].
func (e *expander) exprMacro(out *output, s string) error {
	v, err := e.evalExpr(s)
	if err != nil {
		return err
	}
	return e.emit(out, v.String())
}

func (p *exprParser) parse() (Value, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return Value{}, p.fail("unexpected end of expression")
	}
	v, err := p.ternary()
	if err != nil {
		return v, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return v, p.fail("syntax error in expression")
	}
	return v, nil
}

func (p *exprParser) skipSpace() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\n\r\v\f", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

// accept consumes op if it comes next.
func (p *exprParser) accept(op string) bool {
	p.skipSpace()
	if strings.HasPrefix(p.src[p.pos:], op) {
		p.pos += len(op)
		return true
	}
	return false
}

func (p *exprParser) ternary() (Value, error) {
	cond, err := p.or()
	if err != nil || !p.accept("?") {
		return cond, err
	}
	saved := p.skip
	p.skip = saved || !cond.Truth()
	a, err := p.ternary()
	p.skip = saved
	if err != nil {
		return a, err
	}
	if !p.accept(":") {
		return a, p.fail("syntax error while parsing ?:")
	}
	p.skip = saved || cond.Truth()
	b, err := p.ternary()
	p.skip = saved
	if err != nil {
		return b, err
	}
	if !p.skip && a.Kind != b.Kind {
		return a, p.fail("types must match")
	}
	if cond.Truth() {
		return a, nil
	}
	return b, nil
}

// logical parses a chain of && or ||.
func (p *exprParser) logical(op string, next func() (Value, error), isOr bool) (Value, error) {
	v, err := next()
	for err == nil && p.accept(op) {
		saved := p.skip
		decided := v.Truth() == isOr
		p.skip = saved || decided
		var r Value
		r, err = next()
		p.skip = saved
		if err != nil {
			break
		}
		if !p.skip && r.Kind != v.Kind {
			return v, p.fail("types must match")
		}
		if !decided {
			v = r
		}
	}
	return v, err
}

func (p *exprParser) or() (Value, error) {
	return p.logical("||", p.and, true)
}

func (p *exprParser) and() (Value, error) {
	return p.logical("&&", p.relational, false)
}

var relOps = []string{"==", "!=", "<=", ">=", "<", ">"}

func (p *exprParser) relational() (Value, error) {
	v, err := p.additive()
	for err == nil {
		op := ""
		for _, o := range relOps {
			if p.accept(o) {
				op = o
				break
			}
		}
		if op == "" {
			return v, nil
		}
		var r Value
		if r, err = p.additive(); err != nil {
			break
		}
		v, err = p.compare(op, v, r)
	}
	return v, err
}

func (p *exprParser) compare(op string, a, b Value) (Value, error) {
	if p.skip {
		return Value{}, nil
	}
	if a.Kind != b.Kind {
		return Value{}, p.fail("types must match")
	}
	var c int
	switch a.Kind {
	case KindInt:
		c = cmpInt(a.Int, b.Int)
	case KindString:
		c = strings.Compare(a.Str, b.Str)
	default:
		c = Vercmp(a.Str, b.Str)
	}
	var r bool
	switch op {
	case "==":
		r = c == 0
	case "!=":
		r = c != 0
	case "<":
		r = c < 0
	case ">":
		r = c > 0
	case "<=":
		r = c <= 0
	default:
		r = c >= 0
	}
	return boolValue(r), nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolValue(b bool) Value {
	if b {
		return Value{Int: 1}
	}
	return Value{}
}

func (p *exprParser) additive() (Value, error) {
	v, err := p.multiplicative()
	for err == nil {
		var op byte
		switch {
		case p.accept("+"):
			op = '+'
		case p.accept("-"):
			op = '-'
		default:
			return v, nil
		}
		var r Value
		if r, err = p.multiplicative(); err != nil {
			break
		}
		v, err = p.arith(op, v, r)
	}
	return v, err
}

func (p *exprParser) multiplicative() (Value, error) {
	v, err := p.unary()
	for err == nil {
		var op byte
		switch {
		case p.accept("*"):
			op = '*'
		case p.accept("/"):
			op = '/'
		default:
			return v, nil
		}
		var r Value
		if r, err = p.unary(); err != nil {
			break
		}
		v, err = p.arith(op, v, r)
	}
	return v, err
}

func (p *exprParser) arith(op byte, a, b Value) (Value, error) {
	if p.skip {
		return a, nil
	}
	if a.Kind != b.Kind {
		return a, p.fail("types must match")
	}
	if a.Kind == KindString && op == '+' {
		return Value{Kind: KindString, Str: a.Str + b.Str}, nil
	}
	if a.Kind != KindInt {
		return a, p.fail("invalid type in expression")
	}
	switch op {
	case '+':
		return Value{Int: a.Int + b.Int}, nil
	case '-':
		return Value{Int: a.Int - b.Int}, nil
	case '*':
		return Value{Int: a.Int * b.Int}, nil
	}
	if b.Int == 0 {
		return a, p.fail("division by zero")
	}
	if b.Int == -1 {
		return Value{Int: -a.Int}, nil
	}
	return Value{Int: a.Int / b.Int}, nil
}

func (p *exprParser) unary() (Value, error) {
	switch {
	case p.accept("!"):
		v, err := p.unary()
		if err != nil {
			return v, err
		}
		return boolValue(!v.Truth()), nil
	case p.accept("-"):
		v, err := p.unary()
		if err != nil || p.skip {
			return v, err
		}
		if v.Kind != KindInt {
			return v, p.fail("- only on numbers")
		}
		return Value{Int: -v.Int}, nil
	}
	return p.primary()
}

func (p *exprParser) primary() (Value, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return Value{}, p.fail("unexpected end of expression")
	}
	c := p.src[p.pos]
	switch {
	case c == '(':
		p.pos++
		v, err := p.ternary()
		if err != nil {
			return v, err
		}
		if !p.accept(")") {
			return v, p.fail("unmatched (")
		}
		return v, nil
	case c == '"':
		s, err := p.quoted()
		if err == nil && !p.skip && p.expand != nil && strings.IndexByte(s, '%') >= 0 {
			s, err = p.expand(s)
		}
		return Value{Kind: KindString, Str: s}, err
	case c == 'v' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '"':
		p.pos++
		s, err := p.quoted()
		return Value{Kind: KindVersion, Str: s}, err
	case c == '%' || isNameByte(c) || c == '.':
		return p.word()
	}
	return Value{}, p.fail("syntax error in expression")
}

// quoted reads a "..." string starting at p.pos.
func (p *exprParser) quoted() (string, error) {
	var b strings.Builder
	for i := p.pos + 1; i < len(p.src); i++ {
		switch c := p.src[i]; c {
		case '\\':
			if i+1 < len(p.src) {
				i++
				b.WriteByte(p.src[i])
			}
		case '"':
			p.pos = i + 1
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", p.fail("unterminated string in expression")
}

// word reads a number, a bare word or a run containing macro references,
// which are expanded and must then give an integer.
func (p *exprParser) word() (Value, error) {
	start := p.pos
	hasMacro := false
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '%' {
			n := macroRefLen(p.src[p.pos:])
			hasMacro = true
			p.pos += n
			continue
		}
		if !isNameByte(c) && c != '.' {
			break
		}
		p.pos++
	}
	text := p.src[start:p.pos]
	if hasMacro {
		if p.skip || p.expand == nil {
			return Value{}, nil
		}
		out, err := p.expand(text)
		if err != nil {
			return Value{}, err
		}
		return p.number(strings.TrimSpace(out), true)
	}
	return p.number(text, false)
}

func (p *exprParser) number(s string, expanded bool) (Value, error) {
	if s == "" && expanded {
		return Value{}, nil
	}
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			return Value{Int: n}, nil
		}
		if p.skip {
			return Value{}, nil
		}
		return Value{}, p.fail("invalid number " + strconv.Quote(s))
	}
	if p.skip {
		return Value{}, nil
	}
	if !expanded {
		return Value{}, p.fail(`bare words are no longer supported, please use "..."`)
	}
	if s[0] == '_' || s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z' {
		return Value{}, p.fail(`macro expansion returned a bare word, please use "..."`)
	}
	return Value{}, p.fail("macro expansion did not return an integer")
}

// macroRefLen returns the length of the macro reference at the start of s.
func macroRefLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	pairs := map[byte]byte{'{': '}', '(': ')', '[': ']'}
	if r, ok := pairs[s[1]]; ok {
		if end := matchClose(s, 1, s[1], r); end >= 0 {
			return end + 1
		}
		return len(s)
	}
	_, fl := parseFlags(s[1:])
	n := scanBareName(s[1+fl:])
	return 1 + fl + n
}

// ExprBool evaluates s as a %if condition: macros in s are expanded first (as
// rpm does for spec %if lines), then the expression is evaluated.
func (c *Context) ExprBool(ctx context.Context, s string) (bool, error) {
	v, err := c.EvalExpr(ctx, s)
	return v.Truth(), err
}
