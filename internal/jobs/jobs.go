// Package jobs declares Docket's background job kinds (River job arguments), shared by
// the store and the features' event handlers, which enqueue them in the transaction that
// makes them necessary, and the workers, which run them.
package jobs

import (
	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
)

// QueueWebhooks holds webhook deliveries, so that slow endpoints do not delay other work.
const QueueWebhooks = "webhooks"

// WebhookDelivery offers one event to one webhook endpoint.
type WebhookDelivery struct {
	WebhookID string `json:"webhook_id"`
	EventID   string `json:"event_id"`
}

// Kind names the job in River's tables.
func (WebhookDelivery) Kind() string { return "webhook_delivery" }

// InsertOpts puts deliveries on their queue with the delivery policy's attempt count.
func (WebhookDelivery) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: docket.WebhookMaxAttempts}
}

// QueueEmail holds outgoing mail, so that a slow mail server delays nothing else.
const QueueEmail = "email"

// SendEmail mails one stored notification.
type SendEmail struct {
	NotificationID string `json:"notification_id"`
}

// Kind names the job in River's tables.
func (SendEmail) Kind() string { return "send_email" }

// InsertOpts keeps trying for about a day: a mail server that is down delays mail, it
// does not lose it.
func (SendEmail) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueEmail, MaxAttempts: 20}
}

// QueueWorkflows holds workflow runs, so that a long https-request step or a burst of
// runs does not delay webhooks or mail, nor they the runs.
const QueueWorkflows = "workflows"

// WorkflowRunMaxAttempts bounds the tries of one step before its run fails.
const WorkflowRunMaxAttempts = 5

// WorkflowRun advances a run from its current step until it waits or ends. TimeoutStep,
// if set, is a wait step whose timeout has come.
type WorkflowRun struct {
	RunID       string `json:"run_id"`
	TimeoutStep string `json:"timeout_step,omitempty"`
}

// Kind names the job in River's tables.
func (WorkflowRun) Kind() string { return "workflow_run" }

// InsertOpts puts runs on their queue.
func (WorkflowRun) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWorkflows, MaxAttempts: WorkflowRunMaxAttempts}
}

// QueueScreening holds re-screenings, so that screening every account after a list
// update delays no delivery, mail or workflow.
const QueueScreening = "screening"

// WatchlistRescreen screens again, against the updated list, the accounts screened
// before (issue 18). Version is the list's version the import made: a job for an older
// version has been overtaken by a newer import and its own job.
type WatchlistRescreen struct {
	ListID  string `json:"list_id"`
	Version int    `json:"version"`
}

// Kind names the job in River's tables.
func (WatchlistRescreen) Kind() string { return "watchlist_rescreen" }

// InsertOpts puts re-screenings on their queue.
func (WatchlistRescreen) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueScreening, MaxAttempts: 5}
}
