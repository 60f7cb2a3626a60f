package changed

import (
	"context"
	"fmt"
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// BenchmarkCompareAll is `component changed -a` over 7,600 components with
// rendered sources, a third of whose fingerprints changed between the commits.
func BenchmarkCompareAll(b *testing.B) {
	const n = 7600
	r := testutil.NewRepo(b)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("pkg%04d", i)
		r.Write("locks/"+names[i]+".lock", lockText(fmt.Sprintf("sha256:%d", i), ""))
		r.Write("specs/p/"+names[i]+"/sources", "SHA512 (a.tar.gz) = 00\n")
	}
	from := r.Commit("first")
	for i := 0; i < n; i += 3 {
		r.Write("locks/"+names[i]+".lock", lockText(fmt.Sprintf("sha256:%d-2", i), ""))
	}
	to := r.Commit("second")
	r.Git("gc", "-q") // a real repository keeps most objects packed
	req := Request{Repo: r.Dir, From: from, To: to, LockDir: "locks", RenderedDir: "specs", Components: names, All: true}
	for b.Loop() {
		rows, err := Compare(context.Background(), req)
		if err != nil || len(rows) != (n+2)/3 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}
