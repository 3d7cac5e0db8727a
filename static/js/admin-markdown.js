/* Live "Voorbeeld" of Markdown fields in the admin (congress/markdown_admin.py).
 * While the editor types, the server renders and sanitises the text exactly as the site does;
 * the answer replaces the preview. Without this script the preview shows the saved text. */
(function () {
  "use strict";

  function connect(preview) {
    var field = document.getElementById(preview.getAttribute("data-markdown-field"));
    if (!field || !field.form) {
      return;
    }
    var token = field.form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var latest = 0;

    function render() {
      var request = ++latest;
      var body = new FormData();
      body.append("text", field.value);
      if (token) {
        body.append("csrfmiddlewaretoken", token.value);
      }
      fetch(preview.getAttribute("data-markdown-preview-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          if (request === latest) {
            preview.innerHTML = html; // sanitised by the server, as on the site
          }
        })
        .catch(function () {
          /* keep the last preview; saving still shows the result */
        });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 400);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-markdown-preview-url]"), connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
