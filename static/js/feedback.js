/* "Is this page useful? Yes / No", then an optional box, without leaving the page.
 *
 * Without JavaScript a Yes or No posts and the answer page holds the optional
 * box. With it, the same answer goes to the same address by fetch (urlencoded,
 * as the form would send it); the reply carries a signed token for the answer
 * kept, and the box opens in place to add a comment to it.
 * Loaded from a static file: the CSP allows no inline script.
 */
(function () {
  "use strict";

  var section = document.querySelector("[data-feedback]");
  if (!section || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var answerForm = section.querySelector("[data-feedback-answer]");
  var moreForm = section.querySelector("[data-feedback-more]");
  var status = section.querySelector("[data-feedback-status]");
  if (!answerForm || !moreForm) {
    return;
  }
  var comment = document.getElementById("feedback-comment");

  function clearErrors() {
    var old = section.querySelectorAll("[data-feedback-error]");
    for (var i = 0; i < old.length; i++) {
      old[i].parentNode.removeChild(old[i]);
    }
    answerForm.querySelector("fieldset").removeAttribute("aria-describedby");
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
      var fieldset = answerForm.querySelector("fieldset");
      fieldset.appendChild(message);
      fieldset.setAttribute("aria-describedby", message.id);
      return document.getElementById("feedback-useful");
    }
    if (name === "comment") {
      comment.parentNode.insertBefore(message, comment);
      comment.setAttribute("aria-describedby", "feedback-comment-hint " + message.id);
      comment.setAttribute("aria-invalid", "true");
      return comment;
    }
    return null;
  }

  function send(form, params, onSuccess) {
    clearErrors();
    status.textContent = "Sending…";
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
    }
    function enable() {
      for (var j = 0; j < buttons.length; j++) {
        buttons[j].disabled = false;
      }
    }
    fetch(form.action, {
      method: "POST",
      body: params,
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        enable();
        if (result.ok) {
          onSuccess(result.data);
          return;
        }
        var errors = result.data.errors || {};
        var first = null;
        var general = [];
        Object.keys(errors).forEach(function (name) {
          var text = errors[name].map(function (e) { return e.message; }).join(" ");
          var field = showError(name, text);
          if (field) {
            first = first || field;
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
        enable();
        status.textContent = "Your answer could not be sent. Please try again later.";
      });
  }

  answerForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(answerForm));
    // FormData leaves out the button that was pressed: add its answer.
    var pressed = event.submitter;
    if (pressed && pressed.name) {
      params.set(pressed.name, pressed.value);
    }
    send(answerForm, params, function (data) {
      answerForm.hidden = true;
      moreForm.querySelector("[name=answer]").value = data.follow_up || "";
      status.textContent = data.message;
      if (data.follow_up) {
        moreForm.hidden = false;
        comment.focus();
      }
    });
  });

  moreForm.addEventListener("submit", function (event) {
    event.preventDefault();
    send(moreForm, new URLSearchParams(new FormData(moreForm)), function (data) {
      moreForm.hidden = true;
      status.textContent = "";
      var thanks = document.createElement("p");
      thanks.className = "feedback__thanks";
      thanks.setAttribute("role", "status");
      thanks.setAttribute("tabindex", "-1");
      thanks.textContent = data.message;
      section.appendChild(thanks);
      thanks.focus();
    });
  });
})();
