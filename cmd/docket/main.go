// Command docket runs Docket: the API and the background workers.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "docket:", err)
		os.Exit(1)
	}
}

// cli is the command line: flags and their environment variables on one struct.
type cli struct {
	LogLevel   string `name:"log-level" env:"DOCKET_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Log level."`
	CPUProfile string `name:"cpuprofile" hidden:"" help:"Write a CPU profile to this file (for performance work)."`

	Serve       serveCmd       `cmd:"" help:"Run the API and the background workers."`
	Worker      workerCmd      `cmd:"" help:"Run only the background workers."`
	Migrate     migrateCmd     `cmd:"" help:"Apply database migrations and exit."`
	Backup      backupCmd      `cmd:"" help:"Copy a live SQLite database to a file (PostgreSQL: use pg_dump)."`
	Restore     restoreCmd     `cmd:"" help:"Check a backup file and install it as the SQLite database."`
	APIKeys     apiKeysCmd     `cmd:"" name:"api-keys" help:"Manage API keys."`
	Users       usersCmd       `cmd:"" help:"Manage dashboard users: create them, issue password links."`
	Audit       auditCmds      `cmd:"" help:"Check the tamper-evident event chain and print anchors."`
	Events      eventsCmds     `cmd:"" help:"Export events (NDJSON, for SIEMs)."`
	Lists       listsCmds      `cmd:"" help:"Import and show sanctions and watch lists that reports screen against."`
	Bench       benchCmds      `cmd:"" help:"Load tests behind docs/benchmarks.md."`
	Screenshots screenshotsCmd `cmd:"" help:"Save PNGs of the dashboard's main pages, from demo data, with headless Chromium."`
}

// env carries what every command needs from its surroundings.
type env struct {
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	// ready is told the address the server listens on (tests use port 0).
	ready func(addr string)
}

// run parses args and runs the chosen command until it finishes or ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runWith(ctx, args, getenv, stdout, stderr, nil)
}

func runWith(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(string)) error {
	return runIO(ctx, args, getenv, os.Stdin, stdout, stderr, ready)
}

// runIO is runWith with the standard input given (tests pipe passwords through it).
func runIO(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, ready func(string)) error {
	var c cli
	// kong calls Exit after printing --help; run must return instead of exiting (tests call
	// it in-process), and must not go on to run the command it just described.
	exited := false
	parser, err := kong.New(&c, kong.Name("docket"),
		kong.Description("Docket: self-hosted case management for KYC, fraud and AML review."),
		kong.Writers(stdout, stderr), kong.Exit(func(int) { exited = true }),
		kong.Resolvers(envResolver(getenv)))
	if err != nil {
		return err
	}
	kctx, err := parser.Parse(args)
	if exited {
		return nil
	}
	if err != nil {
		return err
	}
	if kctx.Command() == "" {
		return nil
	}
	if c.CPUProfile != "" {
		f, err := os.Create(c.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	e := &env{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, ready: ready,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: parseLevel(c.LogLevel)}))}
	return kctx.Run(e)
}

// envResolver reads flag values from the environment function given to run, so that tests
// need not touch the process environment.
func envResolver(getenv func(string) string) kong.ResolverFunc {
	return func(_ *kong.Context, _ *kong.Path, flag *kong.Flag) (any, error) {
		for _, name := range flag.Envs {
			if v := getenv(name); v != "" {
				return v, nil
			}
		}
		return nil, nil
	}
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return slog.LevelInfo
	}
	return l
}
