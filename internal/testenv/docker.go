package testenv

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Docker is a Docker daemon that a test started for itself.
type Docker struct {
	// Client is the docker program that matches the daemon.
	Client string
	// Env holds DOCKER_HOST, for the client.
	Env []string
}

// Command returns a docker command for the daemon.
func (d *Docker) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, d.Client, args...)
	cmd.Env = append(os.Environ(), d.Env...)
	return cmd
}

// Dockerd starts a Docker daemon in a temporary directory, with no network
// set up and the storage driver it picks, and stops it when the test ends.
// It needs root and dockerd (Debian's docker.io); like Require, it fails in
// CI and skips elsewhere when they are missing.
func Dockerd(t testing.TB) *Docker {
	t.Helper()
	Require(t, "dockerd")
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("dockerd needs root, and CI runs as root")
		}
		t.Skip("skipping: dockerd needs root")
	}
	dockerd, _ := exec.LookPath("dockerd")
	// The client that comes with the daemon: another one on PATH may be
	// too new to talk to it.
	client := filepath.Join(filepath.Dir(filepath.Dir(dockerd)), "bin", "docker")
	if _, err := os.Stat(client); err != nil {
		Require(t, "docker")
		client, _ = exec.LookPath("docker")
	}
	dir, err := os.MkdirTemp("", "nixlayer-dockerd-") // short: the socket path has a length limit
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "docker.sock")
	log, err := os.Create(filepath.Join(dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dockerd, "--host", "unix://"+sock, "--data-root", filepath.Join(dir, "data"),
		"--exec-root", filepath.Join(dir, "exec"), "--pidfile", filepath.Join(dir, "dockerd.pid"),
		"--iptables=false", "--ip6tables=false", "--bridge=none")
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &Docker{Client: client, Env: []string{"DOCKER_HOST=unix://" + sock}}
	t.Cleanup(func() {
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
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := d.Command(context.Background(), "version").Run(); err == nil {
			return d
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(log.Name())
			t.Fatalf("dockerd did not start within a minute; its log:\n%s", data)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
