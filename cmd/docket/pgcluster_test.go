package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// pgCluster is a PostgreSQL server of the test's own, started from the installed
// binaries in a temporary folder: tests that stop and start PostgreSQL must never touch
// the shared server other tests use.
type pgCluster struct {
	bin, dir string
	port     int
	asUser   bool // run the tools as the postgres user (PostgreSQL refuses root)
}

// startPGCluster creates and starts a private cluster, and stops and removes it when the
// test ends. It skips (or fails, where PostgreSQL is required) without PostgreSQL's
// binaries.
func startPGCluster(t *testing.T) *pgCluster {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		if os.Getenv("DOCKET_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
		}
		t.Skip("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
	}
	sort.Strings(found)
	c := &pgCluster{bin: filepath.Dir(found[len(found)-1]), asUser: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "docket-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() {
		c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	})
	if c.asUser {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("tests run as root, and there is no postgres user to run PostgreSQL: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if out, err := c.run("initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "--no-sync"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.start(t)
	return c
}

func (c *pgCluster) data() string { return filepath.Join(c.dir, "data") }

// URL is the cluster's postgres database.
func (c *pgCluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

func (c *pgCluster) run(tool string, args ...string) ([]byte, error) {
	name := filepath.Join(c.bin, tool)
	if c.asUser {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	return exec.Command(name, args...).CombinedOutput()
}

// start starts the server and waits until it accepts connections. fsync is off: the
// test stops the server cleanly, and durability across a power cut is not what it checks.
func (c *pgCluster) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", c.port, c.dir)
	if out, err := c.run("pg_ctl", "-D", c.data(), "-o", opts, "-l", filepath.Join(c.dir, "log"), "-w", "start"); err != nil {
		t.Fatalf("pg_ctl start: %v\n%s", err, out)
	}
}

// stop stops the server (fast: sessions are ended, as in a restart or failover).
func (c *pgCluster) stop(t *testing.T) {
	t.Helper()
	if out, err := c.run("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}
