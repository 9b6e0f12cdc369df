package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Docker is a Docker daemon that the tests started for themselves: in a
// temporary directory, with no network set up and the storage driver it
// picks. It needs root and dockerd (Debian's docker.io).
type Docker struct {
	// Client is the docker program that matches the daemon.
	Client string
	// Env holds DOCKER_HOST, for the client.
	Env []string

	stop func()
}

// Command returns a docker command for the daemon.
func (d *Docker) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, d.Client, args...)
	cmd.Env = append(os.Environ(), d.Env...)
	return cmd
}

// DockerLoad loads the image archives into the test binary's own Docker
// daemon, which the first call starts and StopSharedDockerd stops, in the
// background: a load takes seconds (the daemon unpacks each layer in a
// process of its own), which the test spends on its other checks meanwhile.
// Wait, the function it returns, waits for the loads and returns the
// daemon. Like Require, it fails t in CI and skips it elsewhere when
// dockerd or root is missing, and it fails t when a load failed. The
// loads are waited for when t ends in any case, so that the next test's
// loads, which may give the same tags, come after them.
//
// A layer the daemon holds from an earlier test is not unpacked again, as
// on a developer's machine.
func DockerLoad(t testing.TB, archives ...string) (wait func(t testing.TB) *Docker) {
	t.Helper()
	done := make(chan struct{})
	var d *Docker
	var err error
	go func() {
		defer close(done)
		if d, err = sharedDockerd(); err != nil {
			err = dockerUnavailable{err}
			return
		}
		for _, a := range archives {
			if out, lerr := d.Command(context.Background(), "load", "-i", a).CombinedOutput(); lerr != nil {
				err = fmt.Errorf("docker load -i %s: %v\n%s", a, lerr, out)
				return
			}
		}
	}()
	t.Cleanup(func() { <-done })
	return func(t testing.TB) *Docker {
		t.Helper()
		<-done
		if u, ok := errors.AsType[dockerUnavailable](err); ok {
			dockerMissing(t, u.err)
		}
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
}

// StopSharedDockerd stops the daemon of DockerLoad, if one was started:
// call it from TestMain, after the tests ran.
func StopSharedDockerd() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.d != nil {
		shared.d.stop()
		shared.d = nil
	}
}

// shared is the daemon of DockerLoad.
var shared struct {
	mu  sync.Mutex
	d   *Docker
	err error
}

func sharedDockerd() (*Docker, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.d == nil && shared.err == nil {
		shared.d, shared.err = startDockerd()
	}
	return shared.d, shared.err
}

// dockerUnavailable is the error of a machine that cannot start dockerd.
type dockerUnavailable struct{ err error }

func (u dockerUnavailable) Error() string { return u.err.Error() }

// dockerMissing fails t in CI and skips it elsewhere, for err from
// startDockerd.
func dockerMissing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v; CI must run every test", err)
	}
	t.Skipf("skipping: %v", err)
}

// startDockerd starts a daemon and waits until it answers.
func startDockerd() (*Docker, error) {
	dockerd, err := exec.LookPath("dockerd")
	if err != nil {
		return nil, fmt.Errorf("dockerd is not in PATH (%v): install it (apt-get install docker.io)", err)
	}
	if os.Geteuid() != 0 {
		return nil, errors.New("dockerd needs root")
	}
	// The client that comes with the daemon: another one on PATH may be
	// too new to talk to it.
	client := filepath.Join(filepath.Dir(filepath.Dir(dockerd)), "bin", "docker")
	if _, err := os.Stat(client); err != nil {
		if client, err = exec.LookPath("docker"); err != nil {
			return nil, fmt.Errorf("docker is not in PATH (%v): install it (apt-get install docker.io)", err)
		}
	}
	dir, err := os.MkdirTemp("", "nixlayer-dockerd-") // short: the socket path has a length limit
	if err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, "docker.sock")
	log, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(dockerd, "--host", "unix://"+sock, "--data-root", filepath.Join(dir, "data"),
		"--exec-root", filepath.Join(dir, "exec"), "--pidfile", filepath.Join(dir, "dockerd.pid"),
		"--iptables=false", "--ip6tables=false", "--bridge=none")
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	d := &Docker{Client: client, Env: []string{"DOCKER_HOST=unix://" + sock}}
	d.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		log.Close()
		_ = os.RemoveAll(dir)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := d.Command(context.Background(), "version").Run(); err == nil {
			return d, nil
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(log.Name())
			d.stop()
			return nil, fmt.Errorf("dockerd did not start within a minute; its log:\n%s", data)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
