// Docket dashboard: progressive enhancement only. Every page works without this file.
"use strict";

// Lets the stylesheet tell pages that have the script from pages that do not.
document.documentElement.classList.add("js");

document.addEventListener("submit", (event) => {
  const form = event.target;
  // A dialog's own form only closes the dialog; it sends nothing and may be used again.
  if (form.method === "dialog") return;
  // <form data-confirm="Redact this case?"> asks before sending.
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // A second click while the first submission is on its way would send the form twice.
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach((b) => b.setAttribute("aria-busy", "true"));
});

// Pages restored from the back-forward cache must accept submissions again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submitted]").forEach((f) => delete f.dataset.submitted);
});

// Close an open menu (<details>) on Escape or on a click outside it.
function closeMenus(except) {
  document.querySelectorAll("details.user-menu[open]").forEach((d) => {
    if (d !== except) d.removeAttribute("open");
  });
}
document.addEventListener("click", (event) => closeMenus(event.target.closest("details.user-menu")));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeMenus(null);
});

// Keyboard shortcuts (the list is in the layout's #keyboard-help dialog and on /keyboard).
// j/k move a highlight among the page's rows marked data-row, Enter opens the highlighted
// row's first link, and a, s, c, n and / use the control the page marks data-key="<key>":
// buttons and links are clicked, fields are focused. "?" shows the list. Keys are left
// alone while the user types in a field or holds Ctrl, Alt or Meta.
(() => {
  const isField = (el) => el instanceof HTMLElement &&
    (el.isContentEditable || el.matches("input, textarea, select"));
  const visible = (el) => el.getClientRects().length > 0;
  const rows = () => Array.from(document.querySelectorAll("[data-row]")).filter(visible);
  const current = () => document.querySelector("[data-row][aria-current=\"true\"]");

  function highlight(row) {
    const old = current();
    if (old) old.removeAttribute("aria-current");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const list = rows();
    if (list.length === 0) return false;
    const at = list.indexOf(current());
    const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
    highlight(list[next]);
    return true;
  }

  // use activates the control marked data-key="key", if the page has a visible one.
  function use(key) {
    const el = Array.from(document.querySelectorAll(`[data-key="${key}"]`)).find(visible);
    if (!el || el.disabled) return false;
    if (isField(el)) el.focus();
    else el.click();
    return true;
  }

  function showHelp() {
    const dialog = document.getElementById("keyboard-help");
    if (!dialog || typeof dialog.showModal !== "function") return false;
    if (!dialog.open) dialog.showModal();
    return true;
  }

  // The footer's link opens the dialog instead of leaving the page.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-dialog]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && showHelp()) event.preventDefault();
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (isField(event.target) || document.querySelector("dialog[open]")) return;
    let handled = false;
    switch (event.key) {
      case "j": handled = move(1); break;
      case "k": handled = move(-1); break;
      case "Enter": {
        // Enter on a focused link or button does what it always does.
        const focused = document.activeElement;
        if (focused && focused !== document.body && focused.matches("a, button, summary, [tabindex]")) return;
        const link = current() && current().querySelector("a[href]");
        if (link) { link.click(); handled = true; }
        break;
      }
      case "?": handled = showHelp(); break;
      case "a": case "s": case "c": case "n": case "/": handled = use(event.key); break;
    }
    if (handled) event.preventDefault();
  });
})();

// Case list: "select all on this page" ticks (or clears) every row's box. Without the
// script the box still works: the server then takes every case of the page. Clearing one
// row's box clears "select all", so that the server takes the rows ticked.
document.addEventListener("change", (event) => {
  const box = event.target;
  const all = box.closest("input[data-select-all]");
  if (all) {
    document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`).forEach((row) => {
      row.checked = all.checked;
    });
    return;
  }
  if (box.type === "checkbox" && !box.checked) {
    document.querySelectorAll(`input[data-select-all="${box.name}"]`).forEach((a) => {
      a.checked = false;
    });
  }
});

// Case list: on a wide screen the filters stand beside the results, open. The stylesheet
// shows them through ::details-content; a browser without it gets them opened here.
if (!CSS.supports("selector(::details-content)") && window.matchMedia("(min-width: 1000px)").matches) {
  document.querySelectorAll("details.more-filters").forEach((d) => { d.open = true; });
}

// The workflow editor's line numbers follow the text as it is typed: the page numbered
// the lines it was sent with, and the textarea grows with the text so that line N stays
// beside number N.
document.querySelectorAll(".code-editor").forEach((editor) => {
  const area = editor.querySelector("textarea");
  const gutter = editor.querySelector(".gutter");
  if (!area || !gutter) return;
  area.addEventListener("input", () => {
    const lines = area.value.split("\n").length;
    area.rows = Math.max(lines + 2, 12);
    for (let n = gutter.children.length + 1; n <= lines; n++) {
      const number = document.createElement("span");
      number.textContent = String(n);
      gutter.appendChild(number);
    }
    while (gutter.children.length > lines) gutter.lastElementChild.remove();
  });
});
