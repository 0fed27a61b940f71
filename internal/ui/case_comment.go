package ui

import (
	"net/http"
	"regexp"
	"time"

	"github.com/docket-hq/docket"
)

// caseComment serves POST /cases/{id}/comments. Mentions (@ada@example.com) notify the
// users they name, through the notification rules that react to the comment's event.
func (h *Handler) caseComment(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermWorkCases); err != nil {
		return err
	}
	body := r.PostFormValue("body")
	cm, err := h.store.AddComment(r.Context(), cc.p.Actor(), cc.c.ID, body)
	if err != nil {
		return h.caseRefused(w, r, cc, err, "comment-form", map[string]string{"body": body}, map[string]string{"body": "body"})
	}
	msg := "Comment added."
	if n := len(docket.Mentions(cm.Body)); n == 1 {
		msg = "Comment added; the person you mentioned is notified."
	} else if n > 1 {
		msg = "Comment added; the people you mentioned are notified."
	}
	return h.caseDone(w, r, cc.c.ID, msg, nil, "#"+cm.ID)
}

// commentView is a comment as the page shows it: its author named and its mentions
// marked.
type commentView struct {
	ID       string
	Author   actorView
	When     when
	Parts    []textPart
	Redacted bool
}

// textPart is a run of a comment's text; Mention marks an @address.
type textPart struct {
	Text    string
	Mention bool
}

// mentionRe finds @addresses to mark in a comment. It only decides what is shown in
// bold: who is notified is docket.Mentions's decision.
var mentionRe = regexp.MustCompile(`@[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

func commentViews(now time.Time, comments []*docket.Comment, names docket.ActorNames) []commentView {
	out := make([]commentView, len(comments))
	for i, cm := range comments {
		out[i] = commentView{ID: cm.ID, Author: actorOf(cm.Commenter, names), When: whenOf(now, cm.CreatedAt),
			Parts: splitMentions(cm.Body), Redacted: cm.RedactedAt != nil}
	}
	return out
}

// splitMentions cuts text into plain runs and @mentions.
func splitMentions(text string) []textPart {
	var parts []textPart
	last := 0
	for _, m := range mentionRe.FindAllStringIndex(text, -1) {
		if m[0] > last {
			parts = append(parts, textPart{Text: text[last:m[0]]})
		}
		parts = append(parts, textPart{Text: text[m[0]:m[1]], Mention: true})
		last = m[1]
	}
	if last < len(text) {
		parts = append(parts, textPart{Text: text[last:]})
	}
	return parts
}
