// A "Print" button for pages with [data-print] (inline scripts are not allowed by the CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { event.preventDefault(); window.print(); }
});
