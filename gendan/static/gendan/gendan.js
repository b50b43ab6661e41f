// Small enhancements applied to every page and to every htmx-swapped fragment.
(function () {
  const zh = document.documentElement.lang.startsWith("zh");
  function enhance(root) {
    root.querySelectorAll("select.searchable:not(.tomselected)").forEach((el) => {
      new TomSelect(el, {
        maxOptions: 200, allowEmptyOption: true, closeAfterSelect: !el.multiple,
        plugins: el.multiple ? { remove_button: { title: document.body.dataset.removeLabel } } : [],
        render: { no_results: () => `<div class="no-results">${document.body.dataset.noResults}</div>` },
        ...(el.dataset.searchUrl ? remote(el.dataset.searchUrl) : {}),
      });
    });
    root.querySelectorAll("input[type=date]:not(.flatpickr-input)").forEach((el) => {
      // the zh locale leaves the year and month fields' labels in English: ours come from the page
      const locale = zh && window.flatpickr.l10ns.zh ? window.flatpickr.l10ns.zh : window.flatpickr.l10ns.default;
      flatpickr(el, { allowInput: true, locale: { ...locale, yearAriaLabel: document.body.dataset.yearLabel,
                                                 monthAriaLabel: document.body.dataset.monthLabel } });
    });
  }
  // Options fetched as the user types (data-search-url); each carries the words it was found by ("search": the
  // Chinese name, a customer's item number), so the select's own filtering keeps what the server matched.
  function remote(url) {
    return {
      valueField: "value", labelField: "text", searchField: ["text", "search"], preload: "focus",
      load: (query, callback) => {
        fetch(`${url}?q=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } })
          .then((response) => response.json()).then((data) => callback(data.results)).catch(() => callback());
      },
    };
  }
  // htmx fires htmx:load on the body once it starts and on every fragment it swaps in. (htmx.onLoad() called
  // from a DOMContentLoaded handler that runs before htmx's own never registers, so fragments went unenhanced.)
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));
  // Instead of inline onclick="…" handlers, which the Content-Security-Policy blocks:
  // data-confirm="question" asks before the click goes through; data-select-on-click selects a field's text.
  document.addEventListener("click", (event) => {
    const asking = event.target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) event.preventDefault();
    const selecting = event.target.closest("[data-select-on-click]");
    if (selecting) selecting.select();
    const opening = event.target.closest("[data-row-form]");
    if (opening) toggleRowForm(opening);
  });
  // data-submit-on-change on a field: choosing a value sends its form (the customer of a new shipment, say)
  document.addEventListener("change", (event) => {
    const field = event.target.closest("[data-submit-on-change]");
    if (field && field.value) field.form.requestSubmit();
  });
  // A milestone row's buttons (cockpit, plan; data-row-form="url") open one form at a time under the row, fetched when asked
  // for: a cockpit of 75 rows does not carry 225 forms, nor a plan of 22 its 80. A second click closes it.
  function toggleRowForm(button) {
    const cell = button.closest("tbody").querySelector("[data-form-cell]");
    const url = button.dataset.rowForm;
    const closing = cell.dataset.open === url;
    cell.dataset.open = closing ? "" : url;
    cell.parentElement.hidden = closing;
    if (closing) cell.replaceChildren();
    else htmx.ajax("GET", url, { target: cell, swap: "innerHTML" });
  }
})();
