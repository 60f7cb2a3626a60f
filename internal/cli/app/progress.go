package app

import (
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/azlforge/azldev/internal/foundation/cachedir"
	"github.com/azlforge/azldev/internal/source/distgit"
	"github.com/azlforge/azldev/internal/source/lookaside"
)

// Bar is a progress bar on a terminal's standard error; a no-op elsewhere.
type Bar struct {
	mu sync.Mutex
	pb *progressbar.ProgressBar
}

// Progress starts a bar for total steps when stderr is a terminal and -q is off.
func (a *App) Progress(total int, what string) *Bar {
	f, ok := a.Stderr.(*os.File)
	if !ok || a.Opts.Quiet || total < 2 || !term.IsTerminal(int(f.Fd())) {
		return &Bar{}
	}
	return &Bar{pb: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionEnableColorCodes(a.UseColor(f)),
		progressbar.OptionClearOnFinish(),
	)}
}

// Step advances the bar by one.
func (b *Bar) Step() {
	if b.pb == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.pb.Add(1)
}

// Done finishes the bar.
func (b *Bar) Done() {
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}

// DistGit returns the dist-git provider, mirroring remote repositories under
// $AZLDEV_CACHE_DIR (default: the user cache directory).
func (a *App) DistGit() *distgit.Provider {
	if a.distgit == nil {
		a.distgit = &distgit.Provider{CacheDir: filepath.Join(cacheDir(), "distgit"), Retries: a.Opts.NetworkRetries,
			StallTimeout: stallTimeout(), Log: a.Log}
	}
	return a.distgit
}

// Downloads returns the lookaside downloader, caching files by hash under the cache root.
func (a *App) Downloads() *lookaside.Downloader {
	if a.downloads == nil {
		a.downloads = &lookaside.Downloader{CacheDir: filepath.Join(cacheDir(), "lookaside"), Retries: a.Opts.NetworkRetries,
			ReadTimeout: stallTimeout(), Log: a.Log, DryRun: a.Opts.DryRun}
	}
	return a.downloads
}

// stallTimeout is how long a network transfer may make no progress
// ($AZLDEV_STALL_TIMEOUT, a Go duration such as 30s; default 60s).
func stallTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("AZLDEV_STALL_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 60 * time.Second
}

// cacheDir is azldev's cache root (see cachedir.Root; its warning about a
// relative $AZLDEV_CACHE_DIR is shown by the configuration loader).
func cacheDir() string {
	if d, _ := cachedir.Root(); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "azldev-cache")
}
