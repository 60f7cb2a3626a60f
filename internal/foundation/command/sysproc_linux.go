package command

import "syscall"

// sysProcAttr puts the program in its own process group and has the kernel
// kill it when azldev dies (even by SIGKILL), so no orphaned child keeps
// writing into directories a later run sweeps.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
