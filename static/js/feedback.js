/* "Was this page useful?" sent without leaving the page.
 *
 * Without JavaScript the form posts and the reader gets a thank-you page with
 * a link back. With it, the same answer goes to the same address by fetch
 * (urlencoded, as the form would send it) and the result is shown in place.
 * Loaded from a static file: the CSP allows no inline script.
 */
(function () {
  "use strict";

  var section = document.querySelector("[data-feedback]");
  if (!section || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var form = section.querySelector("form");
  var status = section.querySelector("[data-feedback-status]");
  var FIELDS = { useful: "feedback-useful", comment: "feedback-comment" };

  function clearErrors() {
    var old = form.querySelectorAll("[data-feedback-error]");
    for (var i = 0; i < old.length; i++) {
      old[i].parentNode.removeChild(old[i]);
    }
    form.querySelector("fieldset").removeAttribute("aria-describedby");
    var comment = document.getElementById(FIELDS.comment);
    comment.setAttribute("aria-describedby", "feedback-comment-hint");
    comment.removeAttribute("aria-invalid");
  }

  function showError(name, text) {
    var message = document.createElement("p");
    message.className = "errorlist";
    message.id = "feedback-" + name + "-error";
    message.setAttribute("data-feedback-error", "");
    message.textContent = text;
    if (name === "useful") {
      var fieldset = form.querySelector("fieldset");
      fieldset.insertBefore(message, fieldset.querySelector("legend").nextSibling);
      fieldset.setAttribute("aria-describedby", message.id);
    } else if (name === "comment") {
      var box = document.getElementById(FIELDS.comment);
      box.parentNode.insertBefore(message, box);
      box.setAttribute("aria-describedby", "feedback-comment-hint " + message.id);
      box.setAttribute("aria-invalid", "true");
    }
    return message;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    status.textContent = "Sending…";
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        button.disabled = false;
        if (result.ok) {
          form.hidden = true;
          var thanks = document.createElement("p");
          thanks.className = "feedback__thanks";
          thanks.setAttribute("role", "status");
          thanks.setAttribute("tabindex", "-1");
          thanks.textContent = result.data.message;
          section.appendChild(thanks);
          thanks.focus();
          return;
        }
        status.textContent = "";
        var errors = result.data.errors || {};
        var first = null;
        var general = [];
        Object.keys(errors).forEach(function (name) {
          var text = errors[name].map(function (e) { return e.message; }).join(" ");
          if (FIELDS[name]) {
            showError(name, text);
            first = first || document.getElementById(FIELDS[name]);
          } else {
            general.push(text);
          }
        });
        status.textContent = general.join(" ") ||
          "There is a problem with your answer: see the message above.";
        if (first) {
          first.focus();
        }
      })
      .catch(function () {
        button.disabled = false;
        status.textContent = "Your answer could not be sent. Please try again later.";
      });
  });
})();
