package api

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// routes lists every endpoint with the scope it needs.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)

	s.route("GET /api/v1/case-templates", docket.ScopeTemplateRead, s.listTemplates)
	s.route("POST /api/v1/case-templates", docket.ScopeTemplateWrite, s.createTemplate)
	s.route("GET /api/v1/case-templates/{id}", docket.ScopeTemplateRead, s.getTemplate)
	s.route("PATCH /api/v1/case-templates/{id}", docket.ScopeTemplateWrite, s.updateTemplate)
	s.route("POST /api/v1/case-templates/{id}/archive", docket.ScopeTemplateWrite, s.archiveTemplate)

	s.route("GET /api/v1/case-queues", docket.ScopeCaseRead, s.listQueues)
	s.route("POST /api/v1/case-queues", docket.ScopeCaseWrite, s.createQueue)
	s.route("GET /api/v1/case-queues/{id}", docket.ScopeCaseRead, s.getQueue)
	s.route("PATCH /api/v1/case-queues/{id}", docket.ScopeCaseWrite, s.updateQueue)
	s.route("POST /api/v1/case-queues/{id}/archive", docket.ScopeCaseWrite, s.archiveQueue)
	s.route("POST /api/v1/case-queues/{id}/claim", docket.ScopeCaseWrite, s.claimQueueCase)

	s.route("GET /api/v1/cases", docket.ScopeCaseRead, s.listCases)
	s.route("POST /api/v1/cases", docket.ScopeCaseWrite, s.createCase)
	s.route("POST /api/v1/cases/search", docket.ScopeCaseRead, s.searchCases)
	s.route("GET /api/v1/cases/{id}", docket.ScopeCaseRead, s.getCase)
	s.route("PATCH /api/v1/cases/{id}", docket.ScopeCaseWrite, s.updateCase)
	s.route("DELETE /api/v1/cases/{id}", docket.ScopeCaseWrite, s.redactCase)
	s.route("POST /api/v1/cases/{id}/set-status", docket.ScopeCaseWrite, s.setCaseStatus)
	s.route("POST /api/v1/cases/{id}/assign", docket.ScopeCaseWrite, s.assignCase)
	s.route("POST /api/v1/cases/{id}/add-objects", docket.ScopeCaseWrite, s.caseObjects(true))
	s.route("POST /api/v1/cases/{id}/remove-objects", docket.ScopeCaseWrite, s.caseObjects(false))
	s.route("POST /api/v1/cases/{id}/add-tag", docket.ScopeCaseWrite, s.caseTags("add"))
	s.route("POST /api/v1/cases/{id}/remove-tag", docket.ScopeCaseWrite, s.caseTags("remove"))
	s.route("POST /api/v1/cases/{id}/set-tags", docket.ScopeCaseWrite, s.caseTags("set"))
	s.route("POST /api/v1/cases/{id}/comments", docket.ScopeCaseWrite, s.addComment)
	s.route("GET /api/v1/cases/{id}/comments", docket.ScopeCaseRead, s.listComments)

	s.route("GET /api/v1/accounts", docket.ScopeObjectRead, s.listAccounts)
	s.route("POST /api/v1/accounts", docket.ScopeObjectWrite, s.createAccount)
	s.route("GET /api/v1/accounts/{id}", docket.ScopeObjectRead, s.getAccount)
	s.route("PATCH /api/v1/accounts/{id}", docket.ScopeObjectWrite, s.updateAccount)
	s.route("DELETE /api/v1/accounts/{id}", docket.ScopeObjectWrite, s.redactAccount)

	s.route("GET /api/v1/inquiries", docket.ScopeObjectRead, s.listInquiries)
	s.route("POST /api/v1/inquiries", docket.ScopeObjectWrite, s.createInquiry)
	s.route("GET /api/v1/inquiries/{id}", docket.ScopeObjectRead, s.getInquiry)
	s.route("PATCH /api/v1/inquiries/{id}", docket.ScopeObjectWrite, s.updateInquiry)
	s.route("DELETE /api/v1/inquiries/{id}", docket.ScopeObjectWrite, s.redactInquiry)
	for action := range docket.InquiryTransitions {
		s.route("POST /api/v1/inquiries/{id}/"+action, docket.ScopeObjectWrite, s.inquiryAction(action))
	}

	s.route("GET /api/v1/reports", docket.ScopeObjectRead, s.listReports)
	s.route("POST /api/v1/reports", docket.ScopeObjectWrite, s.createReport)
	s.route("GET /api/v1/reports/{id}", docket.ScopeObjectRead, s.getReport)
	s.route("DELETE /api/v1/reports/{id}", docket.ScopeObjectWrite, s.redactReport)
	s.route("POST /api/v1/reports/{id}/ready", docket.ScopeObjectWrite, s.finishReport(docket.ReportReady))
	s.route("POST /api/v1/reports/{id}/errored", docket.ScopeObjectWrite, s.finishReport(docket.ReportErrored))

	s.route("GET /api/v1/transaction-types", docket.ScopeObjectRead, s.listTxnTypes)
	s.route("POST /api/v1/transaction-types", docket.ScopeObjectWrite, s.createTxnType)
	s.route("GET /api/v1/transaction-types/{id}", docket.ScopeObjectRead, s.getTxnType)
	s.route("PATCH /api/v1/transaction-types/{id}", docket.ScopeObjectWrite, s.updateTxnType)
	s.route("GET /api/v1/transactions", docket.ScopeObjectRead, s.listTxns)
	s.route("POST /api/v1/transactions", docket.ScopeObjectWrite, s.createTxn)
	s.route("GET /api/v1/transactions/{id}", docket.ScopeObjectRead, s.getTxn)
	s.route("PATCH /api/v1/transactions/{id}", docket.ScopeObjectWrite, s.updateTxn)
	s.route("DELETE /api/v1/transactions/{id}", docket.ScopeObjectWrite, s.redactTxn)

	s.route("GET /api/v1/webhooks", docket.ScopeWebhookWrite, s.listWebhooks)
	s.route("POST /api/v1/webhooks", docket.ScopeWebhookWrite, s.createWebhook)
	s.route("GET /api/v1/webhooks/{id}", docket.ScopeWebhookWrite, s.getWebhook)
	s.route("PATCH /api/v1/webhooks/{id}", docket.ScopeWebhookWrite, s.updateWebhook)
	s.route("POST /api/v1/webhooks/{id}/enable", docket.ScopeWebhookWrite, s.setWebhookStatus(docket.WebhookEnabled))
	s.route("POST /api/v1/webhooks/{id}/disable", docket.ScopeWebhookWrite, s.setWebhookStatus(docket.WebhookDisabled))
	s.route("POST /api/v1/webhooks/{id}/archive", docket.ScopeWebhookWrite, s.setWebhookStatus(docket.WebhookArchived))
	s.route("POST /api/v1/webhooks/{id}/rotate-secret", docket.ScopeWebhookWrite, s.rotateWebhookSecret)
	s.route("GET /api/v1/webhooks/{id}/deliveries", docket.ScopeWebhookWrite, s.listDeliveries)
	s.route("POST /api/v1/webhooks/{id}/deliveries/{delivery}/redeliver", docket.ScopeWebhookWrite, s.redeliver)

	s.route("GET /api/v1/users", docket.ScopeUserRead, s.listUsers)
	s.route("POST /api/v1/users", docket.ScopeUserWrite, s.createUser)
	s.route("GET /api/v1/users/{id}", docket.ScopeUserRead, s.getUser)
	s.route("PATCH /api/v1/users/{id}", docket.ScopeUserWrite, s.updateUser)
	if s.cfg.Links != nil {
		s.route("POST /api/v1/users/{id}/password-reset", docket.ScopeUserWrite, s.issuePasswordReset)
	}
	s.route("GET /api/v1/users/{id}/notifications", docket.ScopeUserRead, s.listNotifications)
	s.route("POST /api/v1/users/{id}/notifications/{notification}/read", docket.ScopeUserWrite, s.readNotification)

	s.route("GET /api/v1/workflows", docket.ScopeWorkflowRead, s.listWorkflows)
	s.route("POST /api/v1/workflows", docket.ScopeWorkflowWrite, s.createWorkflow)
	s.route("GET /api/v1/workflows/{id}", docket.ScopeWorkflowRead, s.getWorkflow)
	s.route("PATCH /api/v1/workflows/{id}", docket.ScopeWorkflowWrite, s.updateWorkflow)
	s.route("POST /api/v1/workflows/{id}/publish", docket.ScopeWorkflowWrite, s.setWorkflowStatus(s.store.PublishWorkflow))
	s.route("POST /api/v1/workflows/{id}/pause", docket.ScopeWorkflowWrite, s.setWorkflowStatus(s.store.PauseWorkflow))
	s.route("POST /api/v1/workflows/{id}/archive", docket.ScopeWorkflowWrite, s.setWorkflowStatus(s.store.ArchiveWorkflow))
	s.route("POST /api/v1/workflows/{id}/trigger", docket.ScopeWorkflowWrite, s.triggerWorkflow)
	// A case action is a reviewer's tool: running one on a case needs case.write, not the
	// right to edit workflows (which chose, by their trigger, to be offered on cases).
	s.route("POST /api/v1/cases/{id}/actions/{workflow}", docket.ScopeCaseWrite, s.runCaseAction)
	s.route("GET /api/v1/workflow-runs", docket.ScopeWorkflowRead, s.listWorkflowRuns)
	s.route("GET /api/v1/workflow-runs/{id}", docket.ScopeWorkflowRead, s.getWorkflowRun)

	s.route("GET /api/v1/events", docket.ScopeEventRead, s.listEvents)
	s.route("GET /api/v1/events/{id}", docket.ScopeEventRead, s.getEvent)

	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, s.log, docket.Errorf(docket.ENotFound, "no endpoint %s %s", r.Method, r.URL.Path))
	})
}
