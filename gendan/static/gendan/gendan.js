// Small enhancements applied to every page and to every htmx-swapped fragment.
(function () {
  const zh = document.documentElement.lang.startsWith("zh");
  function enhance(root) {
    root.querySelectorAll("select.searchable:not(.tomselected)").forEach((el) => {
      new TomSelect(el, {
        maxOptions: 200, allowEmptyOption: true, plugins: el.multiple ? ["remove_button"] : [],
        render: { no_results: () => `<div class="no-results">${document.body.dataset.noResults}</div>` },
      });
    });
    root.querySelectorAll("input[type=date]:not(.flatpickr-input)").forEach((el) => {
      flatpickr(el, { allowInput: true, locale: zh && window.flatpickr.l10ns.zh ? "zh" : "default" });
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    enhance(document);
    if (window.htmx) htmx.onLoad(enhance);
  });
})();
