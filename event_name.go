package docket

import (
	"slices"
	"strings"
)

// EventNames lists every event Docket records, grouped by the type of object each is
// about and in the order of that object's life. The dashboard offers them to pick from
// (a webhook's events, the event browser's filter); a name is always "<object type>.<what
// happened>", so "case.*" subscribes to every name of the case group.
func EventNames() []string {
	out := []string{
		EventCaseCreated, EventCaseAssigned, EventCaseStatusUpdated, EventCaseResolutionProposed,
		EventCaseResolutionRejected, EventCaseResolved, EventCaseReopened,
		EventCaseUpdatedFields, EventCaseUpdatedTags, EventCaseUpdatedObjects, EventCaseQueueUpdated,
		EventCaseSLAUpdated, EventCaseSLAExpired, EventCaseRedacted,
		EventCommentCreated,
		EventTemplateCreated, EventTemplateUpdated, EventTemplateArchived,
		EventQueueCreated, EventQueueUpdated, EventQueueArchived,
		EventUserCreated, EventUserUpdated, EventUserDeactivated, EventUserReactivated,
		EventAccountCreated, EventAccountUpdated, EventAccountRedacted,
		EventInquiryCreated,
	}
	// Inquiry actions name their own events; keep them in lifecycle order.
	for _, a := range []string{InquiryStart, InquiryComplete, InquiryFail, InquiryExpire, InquiryMarkForReview, InquiryApprove, InquiryDecline} {
		out = append(out, InquiryTransitions[a].Event)
	}
	return append(out,
		EventInquiryUpdated, EventInquiryRedacted,
		EventReportCreated, EventReportReady, EventReportMatched, EventReportErrored, EventReportRedacted,
		EventTxnTypeCreated, EventTxnTypeUpdated,
		EventTransactionCreated, EventTransactionStatus, EventTransactionFields, EventTransactionTags, EventTransactionRedacted,
		EventWorkflowCreated, EventWorkflowUpdated, EventWorkflowPublished, EventWorkflowPaused, EventWorkflowArchived,
		EventWorkflowRunCreated, EventWorkflowRunCompleted, EventWorkflowRunErrored,
		EventWebhookCreated, EventWebhookUpdated, EventWebhookDisabled,
		EventSARCreated, EventSARUpdated, EventSARApproved, EventSARFiled,
	)
}

// EventObjectType returns the type of object an event name is about: "case" for
// "case.created".
func EventObjectType(name string) string {
	t, _, _ := strings.Cut(name, ".")
	return t
}

// EventObjectTypes lists the object types of EventNames, in the same order, once each.
func EventObjectTypes() []string {
	var out []string
	for _, n := range EventNames() {
		if t := EventObjectType(n); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
