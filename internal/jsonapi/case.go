package jsonapi

import "github.com/docket-hq/docket"

// Case renders a case. Its attached objects are listed under the relationship of their
// kind, as the case lists them.
func Case(c *docket.Case) Object {
	attrs := Object{
		"status": c.Status, "name": c.Name, "resolution": strOrNil(c.Resolution),
		"created-at": ts(c.CreatedAt), "updated-at": ts(c.UpdatedAt), "assigned-at": tsPtr(c.AssignedAt),
		"resolved-at": tsPtr(c.ResolvedAt), "redacted-at": tsPtr(c.RedactedAt), "sla-expires-at": tsPtr(c.SLAExpiresAt),
		"assignee-id": strOrNil(c.AssigneeID), "tags": orEmpty(c.Tags), "fields": c.Fields, "attachments": []any{},
	}
	if attrs["fields"] == nil {
		attrs["fields"] = Object{}
	}
	proposal(attrs, c.Proposal)
	for role, a := range map[string]*docket.Actor{"creator": c.Creator, "assigner": c.Assigner, "resolver": c.Resolver, "updater": c.Updater} {
		attrs[role+"-id"], attrs[role+"-type"] = nil, nil
		if a != nil {
			attrs[role+"-id"], attrs[role+"-type"] = a.ID, a.Type
		}
	}
	rels := Object{
		"case-template": one("case-template", &c.TemplateID),
		"case-queue":    one("case-queue", c.QueueID),
		"case-comments": many("case-comment", c.CommentIDs),
		"verifications": many("verification", nil),
	}
	for _, k := range docket.ObjectKinds {
		data := []any{}
		for _, id := range c.ObjectIDs {
			if docket.IDPrefix(id) != k.Prefix {
				continue
			}
			typ := k.Type
			if t, ok := c.ReportTypes[id]; ok {
				typ = t // reports are typed by kind, as in the hosted API
			}
			data = append(data, ref(typ, id))
		}
		rels[k.Relation] = Object{"data": data}
	}
	return resource("case", c.ID, attrs, rels)
}

// CaseWithRelated renders a case with its related-cases relationship: the other cases
// that share an account with it, which only the case's own endpoint shows.
func CaseWithRelated(d *docket.CaseDetail) Object {
	res := Case(d.Case)
	ids := make([]string, len(d.RelatedCases))
	for i, c := range d.RelatedCases {
		ids[i] = c.ID
	}
	res["relationships"].(Object)["related-cases"] = many("case", ids)
	return res
}

// Comment renders a comment on a case.
func Comment(c *docket.Comment) Object {
	return resource("case-comment", c.ID, Object{
		"message": c.Body, "commenter-id": c.Commenter.ID, "commenter-type": c.Commenter.Type,
		"created-at": ts(c.CreatedAt), "updated-at": ts(c.UpdatedAt), "redacted-at": tsPtr(c.RedactedAt),
	}, Object{"case": one("case", &c.CaseID)})
}

// proposal adds the four-eyes proposal's attributes: all null when none awaits. The
// proposer is an actor pair, as creator and resolver are.
func proposal(attrs Object, p *docket.Proposal) {
	attrs["proposed-status"], attrs["proposed-at"], attrs["proposed-by-type"], attrs["proposed-by-id"], attrs["proposal-comment-id"] =
		nil, nil, nil, nil, nil
	if p == nil {
		return
	}
	attrs["proposed-status"], attrs["proposed-at"], attrs["proposed-by-type"], attrs["proposed-by-id"] = p.Status, ts(p.At), p.By.Type, p.By.ID
	if p.CommentID != "" {
		attrs["proposal-comment-id"] = p.CommentID
	}
}
