//go:build !unix

package cache

// openFlags: elsewhere openRegular relies on its Lstat check alone.
const openFlags = 0
