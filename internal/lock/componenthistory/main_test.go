package componenthistory

import (
	"testing"

	"github.com/azlforge/azldev/internal/testutil"
)

// TestMain runs the tests without the user's git configuration or caches.
func TestMain(m *testing.M) { testutil.RunIsolated(m, nil) }
