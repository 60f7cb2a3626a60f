package prepare

import (
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestMain runs the tests with a scratch HOME and no user git configuration
// or caches: they replace and refuse output directories.
func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }
