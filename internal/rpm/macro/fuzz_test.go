package macro

import (
	"context"
	"testing"
	"time"
)

// FuzzExpand checks that no input panics and that expansion stays bounded.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"%{?x:y}", "%define f(a:) %{-a*}\n%f -a 1", "%[1+2]", "%{lua:print(1)}",
		"%(echo ${v:0:1})", "%{expand:%%{?x}}", "%{", "%(", "%[", "%{quote:a b}"} {
		f.Add(s)
	}
	b := hermeticBase(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := b.NewContext(Options{})
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		out, _ := c.Expand(ctx, s)
		if int64(len(out)) > b.limits.MaxOutput {
			t.Fatalf("output of %d bytes exceeds the limit", len(out))
		}
	})
}

// FuzzExpr checks that the expression evaluator never panics.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{`1 && 2`, `v"1.2" < v"1.10"`, `"a" + "b"`, `(1+2)*3`, `1 ? 2 : 3`, `!""`, `-7/2`, `0%{?x} > 1`} {
		f.Add(s)
	}
	b := hermeticBase(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := b.NewContext(Options{})
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _ = c.EvalExpr(ctx, s)
	})
}
