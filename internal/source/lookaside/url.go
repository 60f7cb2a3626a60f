// Package lookaside downloads the source files of a dist-git package from a
// lookaside cache (or any URL), verifying their hashes, retrying transient
// failures and keeping an optional content-addressed local cache.
//
// Every write is atomic: data goes to a temporary file next to its final
// name and is renamed into place only once it is complete and verified, so
// a failed or cancelled download never leaves a partial file behind.
package lookaside

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Placeholders of a lookaside URL template, in substitution order.
// "$hashtype" must be replaced before its prefix "$hash".
var placeholders = []string{"$pkg", "$filename", "$hashtype", "$hash"}

// ErrBadTemplate reports an unusable template or value for URL.
var ErrBadTemplate = errors.New("invalid lookaside URL")

// URL expands a lookaside URI template such as
// "https://host/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename".
// Each value is URL-path-escaped; the hash type is lowercased first. Empty
// values, values containing a placeholder token, and results that are not
// absolute URLs are rejected with an error wrapping ErrBadTemplate.
func URL(template, pkg, filename, hashType, hash string) (string, error) {
	if strings.TrimSpace(template) == "" {
		return "", fmt.Errorf("%w: empty template", ErrBadTemplate)
	}
	values := []string{pkg, filename, strings.ToLower(hashType), hash}
	for i, v := range values {
		if err := checkValue(placeholders[i], v); err != nil {
			return "", err
		}
	}
	out := template
	for i, p := range placeholders {
		out = strings.ReplaceAll(out, p, url.PathEscape(values[i]))
	}
	if err := checkAbsolute(out); err != nil {
		return "", fmt.Errorf("%w: template %q expands to %q: %w", ErrBadTemplate, template, out, err)
	}
	return out, nil
}

// checkValue rejects an empty value or one that would inject a placeholder.
func checkValue(placeholder, v string) error {
	name := strings.TrimPrefix(placeholder, "$")
	if v == "" {
		return fmt.Errorf("%w: empty %s", ErrBadTemplate, name)
	}
	for _, p := range placeholders {
		if strings.Contains(v, p) {
			return fmt.Errorf("%w: %s %q contains the placeholder %q", ErrBadTemplate, name, v, p)
		}
	}
	return nil
}

// checkAbsolute requires a scheme, and a host unless the scheme is file.
func checkAbsolute(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if !u.IsAbs() {
		return errors.New("not an absolute URL (no scheme)")
	}
	if u.Scheme != "file" && u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}

// checkScheme accepts the URL schemes the Downloader can fetch.
func checkScheme(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "http", "https", "file":
		return nil
	}
	return fmt.Errorf("unsupported URL scheme %q (want http, https or file)", u.Scheme)
}
