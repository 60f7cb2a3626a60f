//go:build unix

package cache

import "syscall"

// openFlags keeps opening a FIFO (or a device) put in a cache file's place
// from blocking: openRegular then rejects it by its mode.
const openFlags = syscall.O_NONBLOCK
