// Package headless runs Debian's Chromium without a screen, through chromedp, for the
// dashboard's browser tests and for `docket screenshots`. One browser serves many tabs;
// each tab gets a browser context of its own, so that two tabs are two people with their
// own cookies.
package headless

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package installs the browser.
const Path = "/usr/bin/chromium"

// ErrMissing says that Chromium is not installed.
var ErrMissing = errors.New(Path + " is not installed (apt-get install chromium)")

// Available reports whether Chromium is installed.
func Available() bool {
	_, err := os.Stat(Path)
	return err == nil
}

// Browser is one running Chromium.
type Browser struct {
	ctx         context.Context
	cancel      context.CancelFunc
	cancelAlloc context.CancelFunc
}

// options are chromedp's defaults plus what a root user on a server without a network
// needs: no sandbox (it refuses to run as root), and nothing that phones home.
func options() []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
	)
}

// Start launches Chromium. It keeps running until Close, whatever happens to ctx after
// Start returns (chromedp binds a browser's life to the context of its first action, so
// that action runs on a context of the browser's own).
func Start(ctx context.Context) (*Browser, error) {
	if !Available() {
		return nil, ErrMissing
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.WithoutCancel(ctx), options()...)
	bctx, cancel := chromedp.NewContext(actx)
	b := &Browser{ctx: bctx, cancel: cancel, cancelAlloc: cancelAlloc}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err := <-started:
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("start chromium: %w", err)
		}
	case <-ctx.Done():
		b.Close()
		return nil, fmt.Errorf("start chromium: %w", ctx.Err())
	}
	return b, nil
}

// Tab opens a tab in a new browser context: no cookies, no storage, as a private window.
// The tab closes when the returned function is called or the browser closes.
func (b *Browser) Tab() (context.Context, context.CancelFunc, error) {
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	// The first action creates the tab and binds it to tctx, which has no deadline; the
	// caller's timeouts then apply to single steps.
	if err := chromedp.Do(tctx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("open a tab: %w", err)
	}
	return tctx, cancel, nil
}

// Close stops the browser and waits for it to exit.
func (b *Browser) Close() {
	b.cancel()
	b.cancelAlloc()
}
