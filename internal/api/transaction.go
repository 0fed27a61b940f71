package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) createTxnType(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("name", "field-schemas", "statuses"); err != nil {
		return err
	}
	t := &docket.TransactionType{}
	if t.Name, err = g.str("name"); err != nil {
		return err
	}
	if err := g.into("field-schemas", &t.FieldSchemas); err != nil {
		return err
	}
	if t.Statuses, err = g.strList("statuses"); err != nil {
		return err
	}
	if err := s.store.CreateTransactionType(r.Context(), actor(r), t); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.TransactionType(t)})
	return nil
}

func (s *Server) updateTxnType(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("name", "field-schemas", "statuses"); err != nil {
		return err
	}
	var u docket.TransactionTypeUpdate
	if g.has("name") {
		name, err := g.str("name")
		if err != nil {
			return err
		}
		u.Name = &name
	}
	if g.has("field-schemas") {
		var schemas []docket.FieldSchema
		if err := g.into("field-schemas", &schemas); err != nil {
			return err
		}
		u.FieldSchemas = &schemas
	}
	if g.has("statuses") {
		statuses, err := g.strList("statuses")
		if err != nil {
			return err
		}
		u.Statuses = &statuses
	}
	t, err := s.store.UpdateTransactionType(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.TransactionType(t)})
	return nil
}

func (s *Server) getTxnType(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.FindTransactionType(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.TransactionType(t)})
	return nil
}

func (s *Server) listTxnTypes(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixTxnType)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListTransactionTypes(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.TransactionType))
	return nil
}

func (s *Server) createTxn(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("transaction-type-id", "reference-id", "status", "fields", "tags"); err != nil {
		return err
	}
	var n docket.NewTransaction
	if n.TypeID, err = g.str("transaction-type-id"); err != nil {
		return err
	}
	if !docket.ValidID(docket.PrefixTxnType, n.TypeID) {
		return docket.Invalid("transaction-type-id", "transaction-type-id must be a txntp_ id")
	}
	if n.ReferenceID, err = g.nullableStr("reference-id"); err != nil {
		return err
	}
	if n.Status, err = g.str("status"); err != nil {
		return err
	}
	if n.Fields, err = g.object("fields"); err != nil {
		return err
	}
	if n.Tags, err = g.strList("tags"); err != nil {
		return err
	}
	t, err := s.store.CreateTransaction(r.Context(), actor(r), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Transaction(t, []string{})})
	return nil
}

func (s *Server) updateTxn(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("status", "fields", "tags"); err != nil {
		return err
	}
	var u docket.TransactionUpdate
	if u.Fields, err = g.object("fields"); err != nil {
		return err
	}
	if g.has("status") {
		status, err := g.str("status")
		if err != nil {
			return err
		}
		u.Status = &status
	}
	if g.has("tags") {
		tags, err := g.strList("tags")
		if err != nil {
			return err
		}
		u.Tags = &tags
	}
	t, err := s.store.UpdateTransaction(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Transaction(t, nil)})
	return nil
}

func (s *Server) getTxn(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.FindTransaction(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cases, err := s.objectCaseIDs(r, t.ID)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Transaction(t, cases)})
	return nil
}

func (s *Server) redactTxn(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.RedactTransaction(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Transaction(t, nil)})
	return nil
}

func (s *Server) listTxns(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixTransaction, "reference-id", "status", "transaction-type-id", "account-id", "created-at-start", "created-at-end")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := docket.TransactionFilter{ReferenceID: filterParam(q, "reference-id"), Status: filterParam(q, "status"), Page: p}
	if f.TypeID, err = filterID(q, "transaction-type-id", docket.PrefixTxnType); err != nil {
		return err
	}
	if f.AccountID, err = filterID(q, "account-id", docket.PrefixAccount); err != nil {
		return err
	}
	if f.CreatedAtStart, err = filterTime(q, "created-at-start"); err != nil {
		return err
	}
	if f.CreatedAtEnd, err = filterTime(q, "created-at-end"); err != nil {
		return err
	}
	list, pr, err := s.store.ListTransactions(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Transaction) obj { return jsonapi.Transaction(x, nil) }))
	return nil
}
