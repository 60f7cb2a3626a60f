package rpmspec

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/azlforge/azldev/internal/testutil"
)

// BenchmarkCorpus evaluates the whole corpus with rpm 4.18 (python3-rpm,
// through testdata/rpmfacts.py) and then with this package, in the same run,
// and reports the CPU time (user+system) of each side per pass and, on the
// azldev line, how many times less CPU time it used than rpm (x-rpm-cpu):
//
//	go test -run '^$' -bench Corpus ./internal/rpm/rpmspec/
//
// AZLDEV_RPM_CORPUS and AZLDEV_RPM_CONFIGDIR choose the specs and the
// configuration; AZLDEV_RPM_BENCH_NORPM=1 skips the (slow) rpm side.
func BenchmarkCorpus(b *testing.B) {
	confDir := envOr("AZLDEV_RPM_CONFIGDIR", testutil.SharedDir(b, "conformance/rpmconfig"))
	specs, err := listSpecs(envOr("AZLDEV_RPM_CORPUS", testutil.SharedDir(b, "corpus/azl4/specs")))
	if err != nil || len(specs) == 0 {
		b.Skipf("no corpus: %v", err)
	}
	var rpmCPU time.Duration
	if os.Getenv("AZLDEV_RPM_BENCH_NORPM") != "1" {
		b.Run("rpm", func(b *testing.B) { rpmCPU = benchRPM(b, confDir, specs) })
	}
	b.Run("azldev", func(b *testing.B) {
		if ourCPU := benchOurs(b, confDir, specs); rpmCPU > 0 {
			b.ReportMetric(rpmCPU.Seconds()/ourCPU.Seconds(), "x-rpm-cpu")
		}
	})
}

// benchRPM runs rpmfacts.py over specs b.N times and returns the CPU time
// of one pass (the helper and its forked children).
func benchRPM(b *testing.B, confDir string, specs []string) time.Duration {
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		b.Skip("no /usr/bin/python3")
	}
	b.Setenv("AZLDEV_RPM_FACTS", "")
	var cpu time.Duration
	for b.Loop() {
		_, _, c, err := rpmSide(context.Background(), confDir, specs)
		if err != nil {
			b.Skipf("rpm side: %v", err)
		}
		cpu += c
	}
	return reportCPU(b, cpu, len(specs))
}

// benchOurs evaluates specs b.N times (loading the configuration each time,
// as the agreement test does) and returns the CPU time of one pass.
func benchOurs(b *testing.B, confDir string, specs []string) time.Duration {
	b.ReportAllocs()
	cpu0 := selfCPU()
	for b.Loop() {
		if _, _, err := ourSide(context.Background(), confDir, specs); err != nil {
			b.Fatal(err)
		}
	}
	return reportCPU(b, selfCPU()-cpu0, len(specs))
}

// reportCPU reports CPU seconds per pass and microseconds per spec, and
// returns the CPU time of one pass.
func reportCPU(b *testing.B, total time.Duration, nSpecs int) time.Duration {
	per := total / time.Duration(b.N)
	b.ReportMetric(per.Seconds(), "cpu-s/op")
	b.ReportMetric(float64(per.Microseconds())/float64(nSpecs), "cpu-µs/spec")
	return per
}
