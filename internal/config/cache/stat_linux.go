//go:build linux

package cache

import (
	"os"
	"syscall"
)

// statIdentity returns the inode, device and change time of a stat result.
func statIdentity(fi os.FileInfo) (ino, dev uint64, ctimeNS int64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino, st.Dev, st.Ctim.Sec*1e9 + st.Ctim.Nsec
	}
	return 0, 0, 0
}
