package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// docketBinary builds the docket command once for the tests that need real processes.
func docketBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "docket-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "docket")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process is a docket serve running as its own OS process.
type process struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

var servingRe = regexp.MustCompile(`msg="docket is serving" url=(\S+)`)

// startProcess starts docket serve on dbURL; env holds extra KEY=value variables.
func startProcess(t *testing.T, dbURL string, env ...string) *process {
	t.Helper()
	cmd := exec.Command(docketBinary(t), "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "DOCKET_DATABASE_URL="+dbURL, "DOCKET_BOOTSTRAP_API_KEY="+testKey, "DOCKET_RATE_LIMIT=0")
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, done: make(chan error, 1)}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
	})
	select {
	case p.base = <-urlc:
	case err := <-p.done:
		t.Fatalf("docket serve exited: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("docket serve did not start within 60s")
	}
	waitHealthy(t, p.base)
	return p
}

// TestTwoProcesses runs two docket processes on one database: case names stay unique and
// gapless while both create cases at once, and SIGTERM to one of them in the middle of a
// burst loses no acknowledged case and exits cleanly.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	storetest.Each(t, func(t *testing.T, dbURL string) {
		a := startProcess(t, dbURL)
		b := startProcess(t, dbURL)
		tmpl := must(t, 201)(call(t, a.base, "POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"Alerts","key":"AML"}}}`))
		body := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl["id"])

		const workers, each = 8, 50
		names := createConcurrently(t, []string{a.base, b.base}, body, workers, each, nil)
		if len(names) != workers*each {
			t.Fatalf("created %d cases, want %d", len(names), workers*each)
		}
		for i, n := range sortedNumbers(t, names) {
			if n != i+1 {
				t.Fatalf("case numbers are not 1..%d without gaps or repeats: position %d holds %d", len(names), i, n)
			}
		}

		// SIGTERM b while clients keep creating cases on it.
		stop := make(chan struct{})
		go func() {
			time.Sleep(200 * time.Millisecond)
			b.cmd.Process.Signal(syscall.SIGTERM)
			close(stop)
		}()
		acked := createConcurrently(t, []string{b.base}, body, 4, 1000, stop)
		select {
		case err := <-b.done:
			if err != nil {
				t.Fatalf("process did not exit cleanly after SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("process did not exit within 30s of SIGTERM")
		}
		for id := range acked {
			if status, _ := call(t, a.base, "GET", "/api/v1/cases/"+id, ""); status != 200 {
				t.Fatalf("acknowledged case %s is missing after shutdown (status %d)", id, status)
			}
		}
		t.Logf("%d cases acknowledged during shutdown, all present", len(acked))
	})
}

// createConcurrently posts body from workers goroutines, each up to n times, spreading
// them over bases, until stop closes or a request fails. It returns the names of the
// acknowledged (201) cases by id.
func createConcurrently(t *testing.T, bases []string, body string, workers, n int, stop chan struct{}) map[string]string {
	var mu sync.Mutex
	out := map[string]string{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				status, doc, err := tryCall(bases[(w+i)%len(bases)], "POST", "/api/v1/cases", body)
				if err != nil || status != 201 {
					if stop == nil {
						t.Errorf("create: status %d, err %v, %v", status, err, doc)
					}
					return
				}
				d := doc["data"].(map[string]any)
				mu.Lock()
				out[d["id"].(string)] = attr(d, "name").(string)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return out
}

func sortedNumbers(t *testing.T, names map[string]string) []int {
	var nums []int
	for _, name := range names {
		var n int
		if _, err := fmt.Sscanf(name, "AML-%d", &n); err != nil {
			t.Fatalf("unexpected case name %q", name)
		}
		nums = append(nums, n)
	}
	sort.Ints(nums)
	return nums
}
