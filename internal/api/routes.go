package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
)

// routes lists every endpoint with the permission it needs (docket.Principal.Can
// decides; for a key without a user that is the permission's scope, as before).
// Endpoints under /cases/{id} use caseRoute: a case the caller may not see is a 404.
func (s *Server) routes() {
	s.public("GET /healthz", http.HandlerFunc(s.healthz))
	// The API's description and its reference page (openapi.go): public, as they hold no data.
	s.public("GET /api/v1/openapi.json", http.HandlerFunc(s.openAPIDocument))
	s.public("GET /api/v1/docs", http.HandlerFunc(s.apiReference))
	s.public("GET /api/v1/docs/reference.css", http.HandlerFunc(s.apiReferenceCSS))

	s.route("GET /api/v1/case-templates", docket.PermReadTemplates, s.listTemplates)
	s.route("POST /api/v1/case-templates", docket.PermManageTemplates, s.createTemplate)
	s.route("GET /api/v1/case-templates/{id}", docket.PermReadTemplates, s.getTemplate)
	s.route("PATCH /api/v1/case-templates/{id}", docket.PermManageTemplates, s.updateTemplate)
	s.route("POST /api/v1/case-templates/{id}/archive", docket.PermManageTemplates, s.archiveTemplate)

	s.route("GET /api/v1/case-queues", docket.PermReadCases, s.listQueues)
	s.route("POST /api/v1/case-queues", docket.PermManageQueues, s.createQueue)
	s.route("GET /api/v1/case-queues/{id}", docket.PermReadCases, s.getQueue)
	s.route("PATCH /api/v1/case-queues/{id}", docket.PermManageQueues, s.updateQueue)
	s.route("POST /api/v1/case-queues/{id}/archive", docket.PermManageQueues, s.archiveQueue)
	s.route("POST /api/v1/case-queues/{id}/claim", docket.PermWorkCases, s.claimQueueCase)

	s.route("GET /api/v1/cases", docket.PermReadCases, s.listCases)
	s.route("POST /api/v1/cases", docket.PermWorkCases, s.createCase)
	s.route("POST /api/v1/cases/search", docket.PermReadCases, s.searchCases)
	s.caseRoute("GET /api/v1/cases/{id}", docket.PermReadCases, s.getCase)
	s.caseRoute("PATCH /api/v1/cases/{id}", docket.PermWorkCases, s.updateCase)
	s.caseRoute("DELETE /api/v1/cases/{id}", docket.PermRedactCases, s.redactCase)
	s.caseRoute("POST /api/v1/cases/{id}/set-status", docket.PermWorkCases, s.setCaseStatus)
	s.caseRoute("POST /api/v1/cases/{id}/confirm-status", docket.PermConfirmDecisions, s.decideCaseStatus(true))
	s.caseRoute("POST /api/v1/cases/{id}/reject-status", docket.PermConfirmDecisions, s.decideCaseStatus(false))
	s.caseRoute("POST /api/v1/cases/{id}/assign", docket.PermWorkCases, s.assignCase)
	s.caseRoute("POST /api/v1/cases/{id}/add-objects", docket.PermWorkCases, s.caseObjects(true))
	s.caseRoute("POST /api/v1/cases/{id}/remove-objects", docket.PermWorkCases, s.caseObjects(false))
	s.caseRoute("POST /api/v1/cases/{id}/add-tag", docket.PermWorkCases, s.caseTags("add"))
	s.caseRoute("POST /api/v1/cases/{id}/remove-tag", docket.PermWorkCases, s.caseTags("remove"))
	s.caseRoute("POST /api/v1/cases/{id}/set-tags", docket.PermWorkCases, s.caseTags("set"))
	s.caseRoute("POST /api/v1/cases/{id}/comments", docket.PermWorkCases, s.addComment)
	s.caseRoute("GET /api/v1/cases/{id}/comments", docket.PermReadCases, s.listComments)

	s.route("GET /api/v1/accounts", docket.PermReadObjects, s.listAccounts)
	s.route("POST /api/v1/accounts", docket.PermWriteObjects, s.createAccount)
	s.route("GET /api/v1/accounts/{id}", docket.PermReadObjects, s.getAccount)
	s.route("PATCH /api/v1/accounts/{id}", docket.PermWriteObjects, s.updateAccount)
	s.route("DELETE /api/v1/accounts/{id}", docket.PermRedactObjects, s.redactAccount)

	s.route("GET /api/v1/inquiries", docket.PermReadObjects, s.listInquiries)
	s.route("POST /api/v1/inquiries", docket.PermWriteObjects, s.createInquiry)
	s.route("GET /api/v1/inquiries/{id}", docket.PermReadObjects, s.getInquiry)
	s.route("PATCH /api/v1/inquiries/{id}", docket.PermWriteObjects, s.updateInquiry)
	s.route("DELETE /api/v1/inquiries/{id}", docket.PermRedactObjects, s.redactInquiry)
	for action := range docket.InquiryTransitions {
		s.route("POST /api/v1/inquiries/{id}/"+action, docket.PermWriteObjects, s.inquiryAction(action))
	}

	s.route("GET /api/v1/reports", docket.PermReadObjects, s.listReports)
	s.route("POST /api/v1/reports", docket.PermWriteObjects, s.createReport)
	s.route("GET /api/v1/reports/{id}", docket.PermReadObjects, s.getReport)
	s.route("DELETE /api/v1/reports/{id}", docket.PermRedactObjects, s.redactReport)
	s.route("POST /api/v1/reports/{id}/ready", docket.PermWriteObjects, s.finishReport(docket.ReportReady))
	s.route("POST /api/v1/reports/{id}/errored", docket.PermWriteObjects, s.finishReport(docket.ReportErrored))

	// Screening (issue 18): watch lists and the report templates that screen against
	// them; a report created with a template screens its query (report.go).
	s.route("GET /api/v1/watchlists", docket.PermReadTemplates, s.listWatchlists)
	s.route("POST /api/v1/watchlists", docket.PermManageWatchlists, s.createWatchlist)
	s.route("GET /api/v1/watchlists/{id}", docket.PermReadTemplates, s.getWatchlist)
	s.route("POST /api/v1/watchlists/{id}/import", docket.PermManageWatchlists, s.importWatchlist)
	s.route("GET /api/v1/report-templates", docket.PermReadTemplates, s.listReportTemplates)
	s.route("POST /api/v1/report-templates", docket.PermManageWatchlists, s.createReportTemplate)
	s.route("GET /api/v1/report-templates/{id}", docket.PermReadTemplates, s.getReportTemplate)
	s.route("PATCH /api/v1/report-templates/{id}", docket.PermManageWatchlists, s.updateReportTemplate)

	s.route("GET /api/v1/transaction-types", docket.PermReadObjects, s.listTxnTypes)
	s.route("POST /api/v1/transaction-types", docket.PermManageTransactionTypes, s.createTxnType)
	s.route("GET /api/v1/transaction-types/{id}", docket.PermReadObjects, s.getTxnType)
	s.route("PATCH /api/v1/transaction-types/{id}", docket.PermManageTransactionTypes, s.updateTxnType)
	s.route("GET /api/v1/transactions", docket.PermReadObjects, s.listTxns)
	s.route("POST /api/v1/transactions", docket.PermWriteObjects, s.createTxn)
	s.route("GET /api/v1/transactions/{id}", docket.PermReadObjects, s.getTxn)
	s.route("PATCH /api/v1/transactions/{id}", docket.PermWriteObjects, s.updateTxn)
	s.route("DELETE /api/v1/transactions/{id}", docket.PermRedactObjects, s.redactTxn)

	s.route("GET /api/v1/webhooks", docket.PermManageWebhooks, s.listWebhooks)
	s.route("POST /api/v1/webhooks", docket.PermManageWebhooks, s.createWebhook)
	s.route("GET /api/v1/webhooks/{id}", docket.PermManageWebhooks, s.getWebhook)
	s.route("PATCH /api/v1/webhooks/{id}", docket.PermManageWebhooks, s.updateWebhook)
	s.route("POST /api/v1/webhooks/{id}/enable", docket.PermManageWebhooks, s.setWebhookStatus(docket.WebhookEnabled))
	s.route("POST /api/v1/webhooks/{id}/disable", docket.PermManageWebhooks, s.setWebhookStatus(docket.WebhookDisabled))
	s.route("POST /api/v1/webhooks/{id}/archive", docket.PermManageWebhooks, s.setWebhookStatus(docket.WebhookArchived))
	s.route("POST /api/v1/webhooks/{id}/rotate-secret", docket.PermManageWebhooks, s.rotateWebhookSecret)
	s.route("GET /api/v1/webhooks/{id}/deliveries", docket.PermManageWebhooks, s.listDeliveries)
	s.route("POST /api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", docket.PermManageWebhooks, s.redeliver)

	s.route("GET /api/v1/users", docket.PermReadUsers, s.listUsers)
	s.route("POST /api/v1/users", docket.PermManageUsers, s.createUser)
	s.route("GET /api/v1/users/{id}", docket.PermReadUsers, s.getUser)
	s.route("PATCH /api/v1/users/{id}", docket.PermManageUsers, s.updateUser)
	s.route("POST /api/v1/users/{id}/deactivate", docket.PermManageUsers, s.deactivateUser)
	s.route("POST /api/v1/users/{id}/reactivate", docket.PermManageUsers, s.reactivateUser)
	if s.cfg.Links != nil {
		s.route("POST /api/v1/users/{id}/password-reset", docket.PermManageUsers, s.issuePasswordReset)
	}
	s.route("GET /api/v1/users/{id}/notifications", docket.PermReadNotifications, s.ownNotifications(s.listNotifications))
	s.route("POST /api/v1/users/{id}/notifications/{notification}/read", docket.PermMarkNotifications, s.ownNotifications(s.readNotification))
	s.route("POST /api/v1/users/{id}/notifications/read-all", docket.PermMarkNotifications, s.ownNotifications(s.readAllNotifications))

	s.route("GET /api/v1/api-keys", docket.PermManageAPIKeys, s.listAPIKeys)
	s.route("POST /api/v1/api-keys", docket.PermManageAPIKeys, s.createAPIKey)
	s.route("GET /api/v1/api-keys/{id}", docket.PermManageAPIKeys, s.getAPIKey)
	s.route("POST /api/v1/api-keys/{id}/revoke", docket.PermManageAPIKeys, s.revokeAPIKey)

	s.route("GET /api/v1/workflows", docket.PermReadWorkflows, s.listWorkflows)
	s.route("POST /api/v1/workflows", docket.PermManageWorkflows, s.createWorkflow)
	s.route("GET /api/v1/workflows/{id}", docket.PermReadWorkflows, s.getWorkflow)
	s.route("PATCH /api/v1/workflows/{id}", docket.PermManageWorkflows, s.updateWorkflow)
	s.route("POST /api/v1/workflows/{id}/publish", docket.PermManageWorkflows, s.setWorkflowStatus(s.store.PublishWorkflow))
	s.route("GET /api/v1/workflows/{id}/versions", docket.PermReadWorkflows, s.listWorkflowVersions)
	s.route("GET /api/v1/workflows/{id}/versions/{n}", docket.PermReadWorkflows, s.getWorkflowVersion)
	s.route("POST /api/v1/workflows/{id}/pause", docket.PermManageWorkflows, s.setWorkflowStatus(s.store.PauseWorkflow))
	s.route("POST /api/v1/workflows/{id}/archive", docket.PermManageWorkflows, s.setWorkflowStatus(s.store.ArchiveWorkflow))
	s.route("POST /api/v1/workflows/{id}/trigger", docket.PermManageWorkflows, s.triggerWorkflow)
	// A case action is a reviewer's tool: running one on a case is working the case, not
	// editing workflows (which chose, by their trigger, to be offered on cases).
	s.caseRoute("POST /api/v1/cases/{id}/actions/{workflow}", docket.PermWorkCases, s.runCaseAction)
	s.route("GET /api/v1/workflow-runs", docket.PermReadWorkflows, s.listWorkflowRuns)
	s.route("GET /api/v1/workflow-runs/{id}", docket.PermReadWorkflows, s.getWorkflowRun)

	// A case's timeline is events (of the case, its comments and its objects); the
	// actions offered on a case are workflows.
	s.caseRoute("GET /api/v1/cases/{id}/timeline", docket.PermReadEvents, s.caseTimeline)
	s.caseRoute("GET /api/v1/cases/{id}/actions", docket.PermReadWorkflows, s.listCaseActions)
	s.route("GET /api/v1/events", docket.PermReadEvents, s.listEvents)
	s.route("GET /api/v1/events/{id}", docket.PermReadEvents, s.getEvent)
	// The event chain: an export for SIEMs (what the caller may read), and its checks
	// (an administrator's: they describe every event).
	s.route("GET /api/v1/events/export", docket.PermReadEvents, s.exportEvents)
	s.route("GET /api/v1/audit/verify", docket.PermAudit, s.verifyChain)
	s.route("GET /api/v1/audit/anchor", docket.PermAudit, s.chainAnchor)

	// Suspicious Activity Reports (sar.go): secret, so /sars/{id} answers 404 to whoever
	// may not read SARs; SAR cases are hidden by their template (Principal.CanSeeTemplate).
	s.route("GET /api/v1/sars", docket.PermReadSARs, s.listSARs)
	s.route("GET /api/v1/sars/fincen.xml", docket.PermReadSARs, s.sarBatchXML)
	s.sarRoute("GET /api/v1/sars/{id}", false, s.getSAR)
	s.sarRoute("PATCH /api/v1/sars/{id}", true, s.updateSAR)
	s.sarRoute("POST /api/v1/sars/{id}/ready", true, s.sarAction("ready"))
	s.sarRoute("POST /api/v1/sars/{id}/approve", true, s.sarAction("approve"))
	s.sarRoute("POST /api/v1/sars/{id}/file", true, s.sarAction("file"))
	s.sarRoute("GET /api/v1/sars/{id}/fincen.xml", true, s.sarXML)
	s.caseRoute("POST /api/v1/cases/{id}/sars", docket.PermManageSARs, s.createSAR)
	s.caseRoute("POST /api/v1/cases/{id}/prepare-sar", docket.PermManageSARs, s.prepareSAR)
	s.route("GET /api/v1/sar-settings", docket.PermReadSARs, s.getSARSettings)
	s.route("PATCH /api/v1/sar-settings", docket.PermManageSARs, s.updateSARSettings)

	// The case list's saved views and bulk actions (the dashboard's case list uses both).
	s.route("POST /api/v1/cases/bulk", docket.PermBulkActions, s.bulkCases)
	s.route("GET /api/v1/saved-views", docket.PermReadCases, s.listSavedViews)
	s.route("POST /api/v1/saved-views", docket.PermSaveViews, s.createSavedView)
	s.route("GET /api/v1/saved-views/{id}", docket.PermReadCases, s.getSavedView)
	s.route("PATCH /api/v1/saved-views/{id}", docket.PermSaveViews, s.updateSavedView)
	s.route("DELETE /api/v1/saved-views/{id}", docket.PermSaveViews, s.deleteSavedView)

	// The access log (issue 16): requests to the API, and dashboard users' reads and
	// actions. Administrators only: it describes everyone's work.
	s.route("GET /api/v1/api-logs", docket.PermAudit, s.listAccessLog(docket.AccessSourceAPI))
	s.route("GET /api/v1/user-audit-logs", docket.PermAudit, s.listAccessLog(docket.AccessSourceDashboard))

	// Analytics (issue 15): figures over the cases the caller may see, for managers
	// and admins (JSON:API documents, or CSV).
	for _, name := range []string{"volume", "resolution-times", "sla", "resolutions", "reviewers"} {
		s.route("GET /api/v1/analytics/"+name, docket.PermReadAnalytics, s.getAnalytics(name))
	}

	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		accesslog.Matched(r)
		writeError(w, r, s.log, docket.Errorf(docket.ENotFound, "no endpoint %s %s", r.Method, r.URL.Path))
	})
}
