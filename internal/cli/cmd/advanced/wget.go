package advanced

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// WgetOptions are the options of `advanced wget`.
type WgetOptions struct {
	URL      string
	Output   string
	Hash     string
	HashType string
}

func newCmdWget(a *app.App) *cobra.Command {
	var opts WgetOptions
	cmd := &cobra.Command{
		Use:   "wget URL",
		Short: "Download a file, retrying and optionally checking its hash",
		Long: `Download URL (https, http or file) to -o, or to its last path element in the
current directory. Transient failures are retried (--network-retries), the
file appears only once complete and, with --hash, verified; a file with a
known hash is taken from azldev's download cache when present.`,
		Example: `  azldev advanced wget https://example.org/pkg-1.0.tar.gz
  azldev advanced wget https://example.org/pkg-1.0.tar.gz -o /tmp/pkg.tgz --hash-type SHA256 --hash 9f86d0...`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("hash-type") && opts.Hash == "" {
				return app.NewUsageError(cmd, errors.New("--hash-type needs --hash"))
			}
			opts.URL = args[0]
			return runWget(cmd.Context(), a, opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "where to write the file, or a directory for it (default: the URL's file name)")
	f.StringVar(&opts.Hash, "hash", "", "expected hex digest of the file")
	f.StringVar(&opts.HashType, "hash-type", "SHA512", "type of --hash: SHA256 or SHA512")
	_ = cmd.RegisterFlagCompletionFunc("hash-type", app.FixedCompletion("SHA256", "SHA512"))
	return cmd
}

func runWget(ctx context.Context, a *app.App, opts WgetOptions) error {
	dest, err := wgetDest(opts.URL, opts.Output)
	if err != nil {
		return err
	}
	if err := a.Downloads().FetchURL(ctx, opts.URL, dest, opts.HashType, opts.Hash); err != nil {
		return err
	}
	a.Log.Info("Downloaded", "url", opts.URL, "file", dest)
	return nil
}

// wgetDest is output, output/<name> when output is a directory, or <name>
// in the current directory, where name is the URL's last path element.
func wgetDest(rawURL, output string) (string, error) {
	if output != "" {
		if st, err := os.Stat(output); err != nil || !st.IsDir() {
			return output, nil
		}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." || name == ".." {
		return "", errors.New("the URL names no file; give -o/--output")
	}
	return filepath.Join(output, name), nil
}
