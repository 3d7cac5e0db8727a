/* Progressive enhancement only: every control works without this script.
   "Zet in mijn programma" buttons update in place instead of reloading the page. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  var live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-enhance='my-programme']")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var chosen = result.data.in_my_programme;
      var label = button.querySelector(".label");
      form.action = chosen ? form.dataset.removeUrl : form.dataset.addUrl;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.classList.toggle("button--chosen", chosen);
      button.classList.toggle("button--secondary", !chosen);
      label.textContent = chosen ? button.dataset.labelRemove : button.dataset.labelAdd;
      announce(result.data.message);
    }).catch(function () {
      form.submit();  // fall back to the plain form post
    }).finally(function () {
      button.disabled = false;
    });
  });
}());
