package docket

import "context"

// CaseDetail is a case with what a reviewer reads beside it: its template and assignee,
// the objects attached to it, its comments and the cases related to it. It is the one read
// model of a case for whatever shows or reasons about a case as a whole: the API's
// includes, the dashboard's case page, SAR auto-fill and workflows.
//
// Only the parts that CaseDetailOptions asked for are loaded; the others are nil. A part
// asked for but empty is an empty list (or nil, for an unassigned case's Assignee).
type CaseDetail struct {
	Case     *Case
	Template *CaseTemplate
	Assignee *User
	// Attached objects, in the order the case lists them (Case.ObjectIDs).
	Accounts     []*Account
	Inquiries    []*Inquiry
	Reports      []*Report
	Transactions []*Transaction
	// Comments, oldest first.
	Comments []*Comment
	// RelatedCases share an account with the case: newest first, at most MaxRelatedCases.
	RelatedCases []*Case
}

// MaxRelatedCases bounds the related cases a case detail holds.
const MaxRelatedCases = 100

// CaseDetailOptions says which parts of a case detail to load. Each part costs one query
// however many cases are loaded together (related cases cost a few).
type CaseDetailOptions struct {
	Template     bool
	Assignee     bool
	Accounts     bool
	Inquiries    bool
	Reports      bool
	Transactions bool
	Comments     bool
	RelatedCases bool
	// Visibility, when set, hides cases from the reader: a hidden case is not found, and
	// hidden cases are left out of related cases (Principal.Visibility decides). It is a
	// pointer so that the options stay comparable.
	Visibility *Visibility
}

// CaseDetailService loads case details.
type CaseDetailService interface {
	// FindCaseDetail returns the case with the parts o asks for.
	FindCaseDetail(ctx context.Context, id string, o CaseDetailOptions) (*CaseDetail, error)
	// CaseDetails completes cases already read (a page of a list, a case just written)
	// with the parts o asks for, returning one detail per case in the same order.
	CaseDetails(ctx context.Context, cases []*Case, o CaseDetailOptions) ([]*CaseDetail, error)
}
