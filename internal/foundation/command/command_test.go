package command

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRunCapturesStdout(t *testing.T) {
	out, err := Run(context.Background(), Cmd{Program: "sh", Args: []string{"-c", "printf hello; printf noise >&2"}})
	if err != nil || string(out) != "hello" {
		t.Fatalf("got %q, %v", out, err)
	}
}

func TestErrorCarriesStderr(t *testing.T) {
	_, err := Run(context.Background(), Cmd{Program: "sh", Args: []string{"-c", "echo 'fatal: no such thing' >&2; exit 3"}})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T)", err, err)
	}
	if ExitCode(err) != 3 || ExitCode(errors.New("x")) != -1 {
		t.Errorf("ExitCode: %d", ExitCode(err))
	}
	if e.ExitCode != 3 || e.Stderr != "fatal: no such thing" || e.Program != "sh" {
		t.Errorf("got %+v", e)
	}
	want := `sh -c "echo 'fatal: no such thing' >&2; exit 3": fatal: no such thing`
	if err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}

func TestErrorWithoutStderr(t *testing.T) {
	_, err := Run(context.Background(), Cmd{Program: "false"})
	if err == nil || err.Error() != "false: exit status 1" {
		t.Errorf("got %v", err)
	}
}

func TestStderrIsBounded(t *testing.T) {
	script := "i=0; while [ $i -lt 3000 ]; do echo \"line $i of the diagnostic output\"; i=$((i+1)); done >&2; exit 1"
	_, err := Run(context.Background(), Cmd{Program: "sh", Args: []string{"-c", script}})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	if len(e.Stderr) > stderrLimit+8 || !strings.HasPrefix(e.Stderr, "…\nline ") || !strings.HasSuffix(e.Stderr, "line 2999 of the diagnostic output") {
		t.Errorf("stderr of %d bytes: %.40q ... %q", len(e.Stderr), e.Stderr, e.Stderr[len(e.Stderr)-40:])
	}
}

func TestMissingProgram(t *testing.T) {
	for prog, pkgs := range map[string]string{
		"azldev-no-such-program": "`apt-get install azldev-no-such-program` or `dnf install azldev-no-such-program`",
		"rpmbuild":               "`apt-get install rpm` or `dnf install rpm-build`",
	} {
		t.Run(prog, func(t *testing.T) {
			t.Setenv("PATH", t.TempDir())
			_, err := Run(context.Background(), Cmd{Program: prog})
			if !errors.Is(err, exec.ErrNotFound) {
				t.Fatalf("got %v", err)
			}
			if err := LookPath(prog); !errors.Is(err, exec.ErrNotFound) || !strings.HasPrefix(err.Error(), prog+" is required") {
				t.Errorf("LookPath: %v", err)
			}
			want := prog + " is required but was not found in PATH; install it (e.g. " + pkgs + ")"
			if err.Error() != want {
				t.Errorf("got %q\nwant %q", err, want)
			}
		})
	}
}

func TestEnvAndDirAndStdin(t *testing.T) {
	dir := t.TempDir()
	out, err := Run(context.Background(), Cmd{
		Program: "sh", Args: []string{"-c", `printf '%s|%s|' "$AZLDEV_TEST_VAR" "$PWD"; cat`},
		Dir: dir, Env: []string{"AZLDEV_TEST_VAR=value"}, Stdin: strings.NewReader("input"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "value|" + dir + "|input"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestInheritsEnvironment(t *testing.T) {
	t.Setenv("AZLDEV_TEST_INHERITED", "yes")
	out, err := Run(context.Background(), Cmd{Program: "sh", Args: []string{"-c", "printf %s \"$AZLDEV_TEST_INHERITED$X\""}, Env: []string{"X=!"}})
	if err != nil || string(out) != "yes!" {
		t.Errorf("got %q, %v", out, err)
	}
}

func TestStreamingStdout(t *testing.T) {
	var sb strings.Builder
	out, err := Run(context.Background(), Cmd{Program: "echo", Args: []string{"streamed"}, Stdout: &sb})
	if err != nil || out != nil || sb.String() != "streamed\n" {
		t.Errorf("got %q, %q, %v", out, sb.String(), err)
	}
}

func TestStreamingStderrIsAlsoCaptured(t *testing.T) {
	log, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	_, err = Run(context.Background(), Cmd{Program: "sh", Args: []string{"-c", "echo out; echo diagnostic >&2; exit 2"}, Stdout: log, Stderr: log})
	var e *Error
	if !errors.As(err, &e) || e.Stderr != "diagnostic" {
		t.Fatalf("got %v", err)
	}
	data, _ := os.ReadFile(log.Name())
	if got := string(data); !strings.Contains(got, "out\n") || !strings.Contains(got, "diagnostic\n") {
		t.Errorf("log %q", got)
	}
}

func TestObserverAndContextRunner(t *testing.T) {
	var seen []Invocation
	ctx := WithRunner(context.Background(), &Runner{Observer: func(i Invocation) { seen = append(seen, i) }})
	if _, err := Run(ctx, Cmd{Program: "true", Args: []string{"a"}, Dir: "/", Env: []string{"K=V"}}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].Program != "true" || seen[0].Args[0] != "a" || seen[0].Dir != "/" || seen[0].Env[0] != "K=V" {
		t.Errorf("observed %+v", seen)
	}
}

// startGroup runs script with a streamed stdout under ctx and returns the
// pids it prints (one per line, count of them) and the channel of Run's result.
func startGroup(t *testing.T, ctx context.Context, r *Runner, script string, count int) ([]int, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := r.Run(ctx, Cmd{Program: "sh", Args: []string{"-c", script}, Stdout: pw})
		pw.Close()
		done <- err
	}()
	var pids []int
	sc := bufio.NewScanner(pr)
	for len(pids) < count && sc.Scan() {
		pid, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
		if err != nil {
			t.Fatalf("bad pid line %q", sc.Text())
		}
		pids = append(pids, pid)
	}
	go io.Copy(io.Discard, pr)
	if len(pids) != count {
		t.Fatalf("got pids %v", pids)
	}
	return pids, done
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

// assertGone waits briefly for reaping and fails for any surviving pid.
func assertGone(t *testing.T, pids []int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if alive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("process %d survived", pid)
		}
	}
}

func TestCancelKillsProcessGroup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pids, done := startGroup(t, ctx, &Runner{}, "sleep 100 & echo $!; sleep 100 & echo $!; echo $$; wait", 3)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v", err)
		}
		var e *Error
		if !errors.As(err, &e) || e.Program != "sh" {
			t.Errorf("not an *Error naming the program: %v", err)
		}
	case <-time.After(DefaultWaitDelay - time.Second):
		t.Fatal("Run did not return promptly after cancellation")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	assertGone(t, pids)
}

func TestCancelKillsChildrenIgnoringSIGTERM(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &Runner{WaitDelay: 200 * time.Millisecond}
	pids, done := startGroup(t, ctx, r, `trap "" TERM; sleep 100 & echo $!; echo $$; wait`, 2)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after WaitDelay")
	}
	assertGone(t, pids)
}

func TestKillStopsEveryRunningProgram(t *testing.T) {
	r := &Runner{}
	var pids []int
	var dones []<-chan error
	for range 2 {
		p, done := startGroup(t, context.Background(), r, "sleep 100 & echo $!; echo $$; wait", 2)
		pids, dones = append(pids, p...), append(dones, done)
	}
	r.Kill()
	for _, done := range dones {
		select {
		case err := <-done:
			if ExitCode(err) != -1 || err == nil {
				t.Errorf("got %v", err)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("Run did not return after Kill")
		}
	}
	assertGone(t, pids)
}

func TestWaitDelayWhenChildHoldsOutput(t *testing.T) {
	r := &Runner{WaitDelay: 200 * time.Millisecond}
	start := time.Now()
	out, err := r.Run(context.Background(), Cmd{Program: "sh", Args: []string{"-c", "sleep 100 & echo $!"}})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if !errors.Is(err, exec.ErrWaitDelay) {
		t.Errorf("got %v", err)
	}
	pid, perr := strconv.Atoi(strings.TrimSpace(string(out)))
	if perr != nil {
		t.Fatalf("output %q", out)
	}
	assertGone(t, []int{pid})
}

func TestCancelledBeforeStart(t *testing.T) {
	var ran bool
	ctx, cancel := context.WithCancel(WithRunner(context.Background(), &Runner{Observer: func(Invocation) { ran = true }}))
	cancel()
	_, err := Run(ctx, Cmd{Program: "true"})
	if !errors.Is(err, context.Canceled) || !ran {
		t.Errorf("got %v", err)
	}
}
