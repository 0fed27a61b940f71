// Package browsertest holds the dashboard's browser tests: Chromium, driven through
// chromedp, against the whole Docket stack (store with its reactions, API, dashboard and
// workers) served on a loopback port, on SQLite and on PostgreSQL. The package has no code
// of its own outside its tests; it exists so that the tests share one browser and one
// server per store, started once (TestMain), whatever the tests that run.
package browsertest
