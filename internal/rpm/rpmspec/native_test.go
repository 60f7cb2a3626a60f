package rpmspec

import (
	"context"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/azlforge/azldev/internal/rpm/macro"
	"github.com/azlforge/azldev/internal/testutil"
)

// TestNativeLuaAgreement evaluates the corpus with the native version of
// Fedora's getsuffixed loop and with the plain Lua one (macro.Config.PlainLua)
// and requires identical results: expanded text, facts, warnings and errors.
// It is opt-in like TestCorpusAgreement (AZLDEV_RPM_AGREEMENT=1).
func TestNativeLuaAgreement(t *testing.T) {
	if os.Getenv("AZLDEV_RPM_AGREEMENT") != "1" || testing.Short() {
		t.Skip("set AZLDEV_RPM_AGREEMENT=1 to compare native and Lua helpers over the corpus")
	}
	ctx := context.Background()
	confDir := envOr("AZLDEV_RPM_CONFIGDIR", testutil.SharedDir(t, "conformance/rpmconfig"))
	specs, err := listSpecs(envOr("AZLDEV_RPM_CORPUS", testutil.SharedDir(t, "corpus/azl4/specs")))
	if err != nil {
		t.Fatal(err)
	}
	native, err := macro.Load(ctx, macro.Config{ConfigDir: confDir})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := macro.Load(ctx, macro.Config{ConfigDir: confDir, PlainLua: true})
	if err != nil {
		t.Fatal(err)
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for range agreementWorkers {
		wg.Go(func() {
			for p := range work {
				r1, err1 := parseFile(ctx, native, p)
				r2, err2 := parseFile(ctx, plain, p)
				if !reflect.DeepEqual(r1, r2) || errString(err1) != errString(err2) {
					t.Errorf("%s: native and Lua differ (errors %v / %v)", relSpec(p), err1, err2)
				}
			}
		})
	}
	for _, p := range specs {
		work <- p
	}
	close(work)
	wg.Wait()
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
