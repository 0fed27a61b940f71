package storetest

import (
	"fmt"
	"strings"
	"testing"
)

// Column names one column of one table, with its type as the catalogue gives it.
type Column struct{ Table, Name, Type string }

func (c Column) String() string { return c.Table + "." + c.Name }

// Columns lists every column of every table of the test database, read from the
// database's catalogue (sqlite_master and pragma_table_info, or information_schema), so
// that a table or column added later is listed without anyone listing it here.
func Columns(t testing.TB, dbURL string) []Column {
	t.Helper()
	q := `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`
	if strings.HasPrefix(dbURL, "sqlite:") {
		q = `SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`
	}
	rows, err := RawDB(t, dbURL).Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Table, &c.Name, &c.Type); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ColumnsHolding returns the columns, of every table (see Columns), in which some row
// holds text: in a text or JSON value, in an array, or verbatim in a blob (SQLite's
// JSONB keeps text as it is). Numbers and times are compared as their text.
func ColumnsHolding(t testing.TB, dbURL, text string) []Column {
	t.Helper()
	db := RawDB(t, dbURL)
	pg := !strings.HasPrefix(dbURL, "sqlite:")
	var out []Column
	for _, c := range Columns(t, dbURL) {
		col := `"` + c.Name + `"`
		cond := `instr(CAST(` + col + ` AS BLOB), CAST(? AS BLOB)) > 0`
		switch {
		case pg && c.Type == "bytea":
			cond = `strpos(encode(` + col + `, 'escape'), $1) > 0`
		case pg:
			cond = `strpos(` + col + `::text, $1) > 0`
		}
		var n int
		if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE %s`, c.Table, cond), text).Scan(&n); err != nil {
			t.Fatalf("scan %s: %v", c, err)
		}
		if n > 0 {
			out = append(out, c)
		}
	}
	return out
}
