package command

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain doubles as a helper process: with AZLDEV_TEST_ORPHAN set it runs
// a long sleep through the runner, prints the sleep's PID and waits.
func TestMain(m *testing.M) {
	if os.Getenv("AZLDEV_TEST_ORPHAN") == "1" {
		var r Runner
		cmd := r.command(context.Background(), Cmd{Program: "sleep", Args: []string{"300"}}, os.Stderr)
		if err := cmd.Start(); err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString(strconv.Itoa(cmd.Process.Pid) + "\n")
		select {}
	}
	os.Exit(m.Run())
}

// TestChildDiesWithKilledParent SIGKILLs a process that started a program
// through the runner and checks that the program does not survive it.
func TestChildDiesWithKilledParent(t *testing.T) {
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), "AZLDEV_TEST_ORPHAN=1")
	out, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 32)
	n, _ := out.Read(buf)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		t.Fatalf("helper printed %q", buf[:n])
	}
	_ = helper.Process.Kill()
	_ = helper.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("program %d outlived its SIGKILLed parent", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
