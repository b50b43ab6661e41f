// New order: choosing the customer reloads the header form with that customer's defaults
// (currency, terms, Incoterm, people). The URL comes from this script tag's data-refill-url.
(function () {
  const url = document.currentScript.dataset.refillUrl;
  document.addEventListener("change", (event) => {
    if (event.target.name !== "customer" || !event.target.value) return;
    htmx.ajax("GET", url + "?customer=" + encodeURIComponent(event.target.value), { target: "#order-form", swap: "outerHTML" });
  });
})();
