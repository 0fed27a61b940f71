package ui

import "net/http"

// keyboard lists the keyboard shortcuts: the page behind the footer's link, for browsers
// without the script (with it, the link and "?" open the same list in a dialog).
func (h *Handler) keyboard(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, "keyboard", &View{Title: "Keyboard shortcuts"})
}
