// The order header form.
// New order: choosing the customer reloads the form with that customer's defaults (currency, terms, Incoterm,
// people); the URL comes from this script tag's data-refill-url.
// Choosing a payment term fills in its deposit %, balance condition and days (the #payment-terms JSON), which
// stay editable for a one-off arrangement.
(function () {
  const url = document.currentScript.dataset.refillUrl;
  const terms = JSON.parse(document.getElementById("payment-terms").textContent);
  function set(name, value) {
    const field = document.querySelector(`#order-form [name=${name}]`);
    if (!field) return;
    if (field.tomselect) field.tomselect.setValue(String(value), true);
    else field.value = value;
  }
  document.addEventListener("change", (event) => {
    const name = event.target.name;
    if (name === "customer" && url && event.target.value) {
      htmx.ajax("GET", url + "?customer=" + encodeURIComponent(event.target.value), { target: "#order-form", swap: "outerHTML" });
    } else if (name === "payment_term" && terms[event.target.value]) {
      const term = terms[event.target.value];
      set("deposit_percent", term.deposit_percent);
      set("balance_condition", term.balance_condition);
      set("balance_days", term.balance_days);
    }
  });
})();
