package store

import (
	"fmt"
	"sync"

	"github.com/docket-hq/docket"
)

// digests computes the snapshot digests of a transaction's events beside the
// transaction's own statements. A digest (canonical JSON and SHA-256, about 10 µs a
// case snapshot) used to be computed when the event was recorded, on the goroutine
// that runs the transaction: for a batch of new cases that is a third of a millisecond
// a batch spent on the CPU between statements, while the batch's transaction was open
// and the next batch waited. Now a helper goroutine digests the events while the
// transaction waits for the database, and appendChain digests whatever is left itself
// (claiming work one event at a time, so it never waits behind a helper that has not
// started) before it waits for the digests in progress.
type digests struct {
	mu      sync.Mutex
	links   []*docket.ChainLink
	objects [][]byte // the snapshots as recorded: a redaction may replace Link.Object later
	errs    []error
	next    int  // the next link to digest
	running bool // a helper goroutine is claiming links
	wg      sync.WaitGroup
}

// add records links with their snapshots and makes sure a helper is digesting them.
func (d *digests) add(links []*docket.ChainLink, objects [][]byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.links = append(d.links, links...)
	d.objects = append(d.objects, objects...)
	d.errs = append(d.errs, make([]error, len(links))...)
	if !d.running {
		d.running = true
		go d.help()
	}
}

// claim returns the next link to digest, or -1 when every link is claimed.
func (d *digests) claim() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.next == len(d.links) {
		return -1
	}
	i := d.next
	d.next++
	d.wg.Add(1)
	return i
}

func (d *digests) help() {
	for {
		i := d.claim()
		if i < 0 {
			d.mu.Lock()
			// add may have appended after claim found nothing: look once more under the lock.
			if d.next < len(d.links) {
				d.mu.Unlock()
				continue
			}
			d.running = false
			d.mu.Unlock()
			return
		}
		d.digest(i)
	}
}

func (d *digests) digest(i int) {
	defer d.wg.Done()
	d.mu.Lock()
	l, obj := d.links[i], d.objects[i]
	d.mu.Unlock()
	sum, err := docket.SnapshotDigest(obj)
	if err != nil {
		err = fmt.Errorf("digest of event %s: %w", l.ID, err)
	}
	l.Digest = sum
	d.mu.Lock()
	d.errs[i] = err
	d.mu.Unlock()
}

// wait digests the links no helper has claimed, waits for the others and returns the
// first error. Every link has its Digest afterwards.
func (d *digests) wait() error {
	for i := d.claim(); i >= 0; i = d.claim() {
		d.digest(i)
	}
	d.wg.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, err := range d.errs {
		if err != nil {
			return err
		}
	}
	return nil
}
