// Docket dashboard: progressive enhancement only. Every page works without this file.
"use strict";

// Lets the stylesheet tell pages that have the script from pages that do not.
document.documentElement.classList.add("js");

document.addEventListener("submit", (event) => {
  const form = event.target;
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
