package docket

import "fmt"

// StatusUse is how many cases of a template are in one status: Open counts those that
// are unresolved and not redacted (the cases people still work), All counts every case.
type StatusUse struct {
	Open, All int
}

// CheckStatusUpdate is the rule that a template update may not strand cases. Moving
// from the statuses old to next, it refuses
//   - to remove a status, or rename it away, while open cases are in it: they would be
//     left in a status their template no longer has. Resolved and redacted cases may
//     keep the name of a status that is gone, as their history;
//   - to make a status start or stop resolving cases (end or not) while any case is in
//     it, which would leave resolved cases in a working status or open cases in a
//     resolving one.
//
// use counts the cases in a status; it is called only for statuses the update removes
// or retypes. A removed status is pointed at by its name in next when it was renamed in
// place (next holds, at its position, a name old does not have), and by the list
// "statuses" otherwise; a retyped one by its type.
func CheckStatusUpdate(old, next []Status, use func(status string) (StatusUse, error)) error {
	for i, o := range old {
		j := statusIndex(next, o.Name)
		if j >= 0 && (next[j].Type == StatusEnd) == (o.Type == StatusEnd) {
			continue
		}
		n, err := use(o.Name)
		if err != nil {
			return fmt.Errorf("count cases in status %q: %w", o.Name, err)
		}
		if j < 0 && n.Open > 0 {
			return Invalid(removedStatusField(old, next, i),
				"status %q holds %s: move %s to another status before removing or renaming it", o.Name, openCases(n.Open), them(n.Open))
		}
		if j >= 0 && n.All > 0 {
			change := "become an end status"
			if o.Type == StatusEnd {
				change = "stop being an end status"
			}
			return Invalid(FieldIndex("statuses", j)+".type",
				"status %q cannot %s while cases are in it (%d): move them first", o.Name, change, n.All)
		}
	}
	return nil
}

// removedStatusField is the field path of the status at position i of old that next
// no longer has.
func removedStatusField(old, next []Status, i int) string {
	if i < len(next) && statusIndex(old, next[i].Name) < 0 {
		return FieldIndex("statuses", i) + ".name"
	}
	return "statuses"
}

func statusIndex(statuses []Status, name string) int {
	for i, s := range statuses {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func openCases(n int) string {
	if n == 1 {
		return "1 open case"
	}
	return fmt.Sprintf("%d open cases", n)
}
