package screen

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/docket-hq/docket"
)

// The files of an import, by name: OFAC's "sdn" (SDN.CSV, required), "alt" (ALT.CSV)
// and "add" (ADD.CSV); the simple formats' "entries".
const (
	FileSDN     = "sdn"
	FileALT     = "alt"
	FileADD     = "add"
	FileEntries = "entries"
)

// MaxEntries bounds one list (the SDN list has about 18,000 entries).
const MaxEntries = 500_000

// Parse reads a list's files in the given format. Errors name the file and line.
func Parse(format string, files map[string]io.Reader) ([]docket.WatchlistEntry, error) {
	entries, err := parse(format, files)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if seen[e.UID] {
			return nil, docket.Invalid(fileOf(format), "entry id %q appears twice", e.UID)
		}
		seen[e.UID] = true
	}
	return entries, nil
}

func fileOf(format string) string {
	if format == docket.WatchlistOFAC {
		return FileSDN
	}
	return FileEntries
}

func parse(format string, files map[string]io.Reader) ([]docket.WatchlistEntry, error) {
	switch format {
	case docket.WatchlistOFAC:
		if files[FileSDN] == nil {
			return nil, docket.Invalid("sdn", "the OFAC format needs the SDN.CSV file (sdn)")
		}
		return parseOFAC(files[FileSDN], files[FileALT], files[FileADD])
	case docket.WatchlistCSV, docket.WatchlistJSON:
		if files[FileEntries] == nil {
			return nil, docket.Invalid("entries", "the %s format needs the entries file (entries)", format)
		}
		if format == docket.WatchlistJSON {
			return parseJSON(files[FileEntries])
		}
		return parseCSV(files[FileEntries])
	}
	return nil, docket.Invalid("format", "format must be one of %s", strings.Join(docket.WatchlistFormats, ", "))
}

// ofacNull is how the SDN files write an empty field.
func ofacField(s string) string {
	s = strings.TrimSpace(strings.Trim(s, "\x1a"))
	if s == "-0-" {
		return ""
	}
	return s
}

// readRows reads a headerless CSV file, stopping at the SDN files' end-of-file mark.
func readRows(file string, r io.Reader, minCols int, fn func(row []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord, cr.LazyQuotes = -1, true
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return docket.Invalid(file, "%s line %d: %v", file, line, err)
		}
		if len(row) == 1 && strings.TrimSpace(strings.Trim(row[0], "\x1a")) == "" {
			continue
		}
		if len(row) < minCols {
			return docket.Invalid(file, "%s line %d: %d columns, expected at least %d", file, line, len(row), minCols)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

var (
	dobRE         = regexp.MustCompile(`(?i)\bDOB ([^;.]+)`)
	nationalityRE = regexp.MustCompile(`(?i)\b(?:nationality|citizen) ([^;.]+)`)
)

// parseOFAC reads SDN.CSV (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
// Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), ALT.CSV (ent_num, alt_num,
// alt_type, alt_name, alt_remarks) and ADD.CSV (ent_num, Add_num, Address,
// City/State/Province/Postal Code, Country, Add_remarks). Birth dates, nationalities and
// citizenships are in the remarks ("DOB 10 Jul 1970; nationality Russia").
func parseOFAC(sdn, alt, add io.Reader) ([]docket.WatchlistEntry, error) {
	var out []docket.WatchlistEntry
	byID := map[string]int{}
	err := readRows("sdn", sdn, 12, func(row []string) error {
		id, nm := ofacField(row[0]), ofacField(row[1])
		if id == "" || nm == "" {
			return nil
		}
		if len(out) >= MaxEntries {
			return docket.Invalid("sdn", "a list holds at most %d entries", MaxEntries)
		}
		typ := strings.ToLower(ofacField(row[2]))
		if typ == "" {
			typ = "entity"
		}
		e := docket.WatchlistEntry{UID: id, Name: nm, Type: typ, Remarks: ofacField(row[11])}
		if p := ofacField(row[3]); p != "" {
			e.Programs = splitList(strings.NewReplacer("] [", ";", "[", "", "]", "").Replace(p))
		}
		for _, m := range dobRE.FindAllStringSubmatch(e.Remarks, -1) {
			e.BirthDates = append(e.BirthDates, strings.TrimSpace(m[1]))
		}
		for _, m := range nationalityRE.FindAllStringSubmatch(e.Remarks, -1) {
			e.Countries = appendNew(e.Countries, strings.TrimSpace(m[1]))
		}
		byID[id] = len(out)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if alt != nil {
		err := readRows("alt", alt, 4, func(row []string) error {
			if i, ok := byID[ofacField(row[0])]; ok && ofacField(row[3]) != "" {
				out[i].Aliases = appendNew(out[i].Aliases, ofacField(row[3]))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if add != nil {
		err := readRows("add", add, 5, func(row []string) error {
			if i, ok := byID[ofacField(row[0])]; ok && ofacField(row[4]) != "" {
				out[i].Countries = appendNew(out[i].Countries, ofacField(row[4]))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseCSV reads Docket's simple layout: a header naming the columns (id and name
// required; aliases, birth-dates, countries, type, programs, remarks optional), lists
// within a cell separated by ";".
func parseCSV(r io.Reader) ([]docket.WatchlistEntry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, docket.Invalid("entries", "entries: no header row: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"id", "name"} {
		if _, ok := col[need]; !ok {
			return nil, docket.Invalid("entries", "entries: the header has no %q column", need)
		}
	}
	get := func(row []string, c string) string {
		if i, ok := col[c]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []docket.WatchlistEntry
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, docket.Invalid("entries", "entries line %d: %v", line, err)
		}
		e := docket.WatchlistEntry{UID: get(row, "id"), Name: get(row, "name"), Type: get(row, "type"),
			Aliases: splitList(get(row, "aliases")), BirthDates: splitList(get(row, "birth-dates")),
			Countries: splitList(get(row, "countries")), Programs: splitList(get(row, "programs")), Remarks: get(row, "remarks")}
		if err := checkEntry(e, fmt.Sprintf("entries line %d", line)); err != nil {
			return nil, err
		}
		if out = append(out, e); len(out) > MaxEntries {
			return nil, docket.Invalid("entries", "a list holds at most %d entries", MaxEntries)
		}
	}
	return out, nil
}

// parseJSON reads a JSON array of entries (docket.WatchlistEntry's fields).
func parseJSON(r io.Reader) ([]docket.WatchlistEntry, error) {
	var out []docket.WatchlistEntry
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, docket.Invalid("entries", "entries: not a JSON array of entries: %v", err)
	}
	if len(out) > MaxEntries {
		return nil, docket.Invalid("entries", "a list holds at most %d entries", MaxEntries)
	}
	for i, e := range out {
		if err := checkEntry(e, fmt.Sprintf("entries[%d]", i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func checkEntry(e docket.WatchlistEntry, where string) error {
	if e.UID == "" || e.Name == "" {
		return docket.Invalid("entries", "%s: id and name are required", where)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}
