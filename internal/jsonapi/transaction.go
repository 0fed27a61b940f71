package jsonapi

import "github.com/docket-hq/docket"

// TransactionType renders a transaction type with its field schemas and statuses.
func TransactionType(t *docket.TransactionType) Object {
	schemas := make([]any, len(t.FieldSchemas))
	for i, f := range t.FieldSchemas {
		schemas[i] = fieldSchemaObj(f)
	}
	return resource("transaction-type", t.ID, Object{
		"name": t.Name, "field-schemas": schemas, "statuses": orEmpty(t.Statuses),
		"created-at": ts(t.CreatedAt), "updated-at": ts(t.UpdatedAt),
	}, nil)
}

// Transaction renders a financial transaction. caseIDs, when not nil, are shown as its
// cases relationship.
func Transaction(t *docket.Transaction, caseIDs []string) Object {
	fields := t.Fields
	if fields == nil {
		fields = map[string]any{}
	}
	rels := Object{"transaction-type": one("transaction-type", &t.TypeID), "account": one("account", t.AccountID)}
	if caseIDs != nil {
		rels["cases"] = many("case", caseIDs)
	}
	return resource("transaction", t.ID, Object{
		"status": t.Status, "reference-id": strOrNil(t.ReferenceID), "fields": fields, "tags": orEmpty(t.Tags),
		"created-at": ts(t.CreatedAt), "updated-at": ts(t.UpdatedAt), "redacted-at": tsPtr(t.RedactedAt),
	}, rels)
}
