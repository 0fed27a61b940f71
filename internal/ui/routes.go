package ui

import "net/http"

// routes lists every dashboard page.
func (h *Handler) routes() {
	h.mux.HandleFunc("GET /static/{file}", h.static)
	h.mux.HandleFunc("GET /favicon.ico", h.favicon)

	h.public("GET /login", h.loginForm)
	h.public("POST /login", h.login)
	h.public("GET /set-password", h.setPasswordForm)
	h.public("POST /set-password", h.setPassword)

	h.page("POST /logout", h.logout)
	h.page("GET /{$}", h.home)

	// The case list, its saved views and bulk actions.
	h.page("GET /cases", h.caseList)
	h.page("GET /cases/new", h.caseNew)
	h.page("POST /cases/new", h.caseCreate)
	h.page("POST /cases/bulk", h.caseBulk)
	h.page("POST /saved-views", h.saveView)
	h.page("POST /saved-views/{id}/delete", h.deleteView)

	// Anything else is a page that does not exist, shown to signed-in users only.
	h.page("/", h.notFound)

	// My work: queues, notifications, keyboard help.
	h.page("GET /queues", h.queueList)
	h.page("GET /queues/{id}", h.queueShow)
	h.page("POST /queues/{id}/next", h.queueNext)
	h.page("GET /notifications", h.notificationList)
	h.page("POST /notifications/read-all", h.notificationReadAll)
	h.page("POST /notifications/{id}/read", h.notificationRead)
	h.page("GET /keyboard", h.keyboard)

	// Analytics (issue 15): managers' and admins' figures, filters in the URL.
	h.page("GET /analytics", h.analyticsPage)

	// The case page and every action on it (issue 12: case page).
	h.page("GET /cases/{id}", h.caseShow)
	h.page("POST /cases/{id}/status", h.caseStatus)
	h.page("POST /cases/{id}/proposal/confirm", h.caseProposal(true))
	h.page("POST /cases/{id}/proposal/reject", h.caseProposal(false))
	h.page("POST /cases/{id}/assign", h.caseAssign)
	h.page("POST /cases/{id}/comments", h.caseComment)
	h.page("POST /cases/{id}/fields", h.caseFields)
	h.page("POST /cases/{id}/objects/add", h.caseObjects(true))
	h.page("POST /cases/{id}/objects/remove", h.caseObjects(false))
	h.page("POST /cases/{id}/tags/add", h.caseTags("add"))
	h.page("POST /cases/{id}/tags/remove", h.caseTags("remove"))
	h.page("POST /cases/{id}/actions/{workflow}", h.caseAction)
	h.page("GET /cases/{id}/redact", h.caseRedactConfirm)
	h.page("POST /cases/{id}/redact", h.caseRedact)

	// Suspicious Activity Reports (issue 19): prepared from a case, a form by section,
	// validated, approved by a second person, exported and filed; settings under admin.
	h.page("POST /cases/{id}/prepare-sar", h.sarPrepare(true))
	h.page("POST /cases/{id}/sars", h.sarPrepare(false))
	h.page("GET /sars", h.sarList)
	h.page("GET /sars/{id}", h.sarShow)
	h.page("POST /sars/{id}", h.sarSave)
	h.page("POST /sars/{id}/ready", h.sarAction("ready"))
	h.page("POST /sars/{id}/approve", h.sarAction("approve"))
	h.page("POST /sars/{id}/file", h.sarAction("file"))
	h.page("GET /sars/{id}/fincen.xml", h.sarXML)
	h.page("GET /sars/{id}/print", h.sarPrint)
	h.page("GET /admin/sar-settings", h.adminSARSettings)
	h.page("POST /admin/sar-settings", h.adminSARSettingsSave)
	h.page("GET /workflow-runs/{id}", h.runShow)

	// Administration (issue 13): the index, then one block per area. Every handler
	// starts with needAdmin, so a POST made by hand is refused like the page.
	h.page("GET /admin", h.adminIndex)

	// Admin: case templates and queues.
	h.page("GET /admin/templates", h.adminTemplates)
	h.page("GET /admin/templates/new", h.adminTemplateNew)
	h.page("POST /admin/templates/new", h.adminTemplateCreate)
	h.page("GET /admin/templates/{id}", h.adminTemplateShow)
	h.page("POST /admin/templates/{id}", h.adminTemplateUpdate)
	h.page("POST /admin/templates/{id}/archive", h.adminTemplateArchive)
	h.page("GET /admin/queues", h.adminQueues)
	h.page("GET /admin/queues/new", h.adminQueueNew)
	h.page("POST /admin/queues/new", h.adminQueueCreate)
	h.page("GET /admin/queues/{id}", h.adminQueueShow)
	h.page("POST /admin/queues/{id}", h.adminQueueUpdate)
	h.page("POST /admin/queues/{id}/archive", h.adminQueueArchive)

	// Admin: users and API keys.
	h.page("GET /admin/users", h.adminUserList)
	h.page("GET /admin/users/new", h.adminUserNew)
	h.page("POST /admin/users", h.adminUserCreate)
	h.page("GET /admin/users/{id}", h.adminUserShow)
	h.page("POST /admin/users/{id}", h.adminUserUpdate)
	h.page("POST /admin/users/{id}/password-reset", h.adminUserReset)
	h.page("GET /admin/users/{id}/deactivate", h.adminUserDeactivateConfirm)
	h.page("POST /admin/users/{id}/deactivate", h.adminUserDeactivate)
	h.page("POST /admin/users/{id}/reactivate", h.adminUserReactivate)
	h.page("GET /admin/api-keys", h.adminKeyList)
	h.page("GET /admin/api-keys/new", h.adminKeyNew)
	h.page("POST /admin/api-keys", h.adminKeyCreate)
	h.page("GET /admin/api-keys/{id}/revoke", h.adminKeyRevokeConfirm)
	h.page("POST /admin/api-keys/{id}/revoke", h.adminKeyRevoke)

	// Admin: webhooks and the event browser.
	h.page("GET /admin/webhooks", h.adminWebhookList)
	h.page("GET /admin/webhooks/new", h.adminWebhookNew)
	h.page("POST /admin/webhooks", h.adminWebhookCreate)
	h.page("GET /admin/webhooks/{id}", h.adminWebhookShow)
	h.page("GET /admin/webhooks/{id}/edit", h.adminWebhookEdit)
	h.page("POST /admin/webhooks/{id}/edit", h.adminWebhookUpdate)
	h.page("POST /admin/webhooks/{id}/enable", h.adminWebhookEnable)
	h.page("POST /admin/webhooks/{id}/disable", h.adminWebhookDisable)
	h.page("POST /admin/webhooks/{id}/archive", h.adminWebhookArchive)
	h.page("POST /admin/webhooks/{id}/rotate-secret", h.adminWebhookRotate)
	h.page("POST /admin/webhooks/{id}/deliveries/{delivery}/redeliver", h.adminWebhookRedeliver)
	// Screening (issue 18): the watch lists and report templates, read-only (imports are
	// the CLI's and the API's).
	h.page("GET /admin/watchlists", h.adminWatchlists)

	h.page("GET /admin/events", h.adminEventList)
	h.page("GET /admin/events/{id}", h.adminEventShow)

	// Admin: the audit trail (issue 16): the access log and the event chain.
	h.page("GET /admin/audit", h.adminAuditLog)
	h.page("GET /admin/audit/chain", h.adminAuditChain)
	h.page("POST /admin/audit/chain/verify", h.adminAuditVerify)
	h.page("GET /admin/audit/anchor", h.adminAuditAnchor)
	h.page("GET /admin/audit/export", h.adminAuditExport)

	// Admin: workflows and their runs.
	h.page("GET /admin/workflows", h.adminWorkflowList)
	h.page("GET /admin/workflows/new", h.adminWorkflowNew)
	h.page("POST /admin/workflows", h.adminWorkflowCreate)
	h.page("GET /admin/workflows/{id}", h.adminWorkflowShow)
	h.page("POST /admin/workflows/{id}", h.adminWorkflowSave)
	for _, change := range []string{"publish", "pause", "archive"} {
		h.page("POST /admin/workflows/{id}/"+change, h.adminWorkflowStatus(change))
	}
	h.page("GET /admin/workflows/{id}/versions", h.adminWorkflowVersions)
	h.page("GET /admin/workflows/{id}/runs", h.adminWorkflowRuns)
	h.page("GET /admin/workflows/{id}/run", h.adminWorkflowRunForm)
	h.page("POST /admin/workflows/{id}/run", h.adminWorkflowRunNow)
}

// page registers a handler for signed-in users.
func (h *Handler) page(pattern string, fn handlerFunc) {
	h.mux.Handle(pattern, h.signedIn(fn))
}

// public registers a handler that needs no sign-in (its forms still need a CSRF token).
func (h *Handler) public(pattern string, fn handlerFunc) {
	h.mux.Handle(pattern, h.signedOut(fn))
}

var _ http.Handler = (*Handler)(nil)
