package outdir

import (
	"fmt"
	"io/fs"

	"golang.org/x/sys/unix"
)

// identity names the file system object at path (not following a final
// symlink): device, inode and birth time when the file system records it.
func identity(path string) (string, error) {
	var st unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_INO|unix.STATX_BTIME, &st); err != nil {
		return "", &fs.PathError{Op: "statx", Path: path, Err: err}
	}
	id := fmt.Sprintf("dev=%d:%d ino=%d", st.Dev_major, st.Dev_minor, st.Ino)
	if st.Mask&unix.STATX_BTIME != 0 {
		id += fmt.Sprintf(" btime=%d.%09d", st.Btime.Sec, st.Btime.Nsec)
	}
	return id, nil
}

// exchange swaps the entries at a and b in one step.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
