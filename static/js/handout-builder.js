/* The handout builder, enhanced: a running count of the items chosen, "Clear all"
 * without a round trip, and the list narrowed as you type. Without JavaScript
 * the same form does each of these through the server (GET). Hiding an item
 * never unticks it: a hidden ticked box is still sent with the form. */
(function () {
  "use strict";
  var form = document.querySelector("[data-handout-builder]");
  if (!form) {
    return;
  }
  var boxes = form.querySelectorAll('input[name="item"]');

  function countChosen() {
    var chosen = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        chosen += 1;
      }
    });
    var words = chosen + (chosen === 1 ? " item chosen" : " items chosen");
    form.querySelectorAll("[data-chosen-count]").forEach(function (count) {
      count.textContent = words;
    });
    summarise();
  }

  // The same summary the server writes: each group's heading and how many of
  // its items are ticked, in the groups' order.
  function summarise() {
    var lines = [];
    form.querySelectorAll("[data-group]").forEach(function (group) {
      var ticked = group.querySelectorAll('input[name="item"]:checked').length;
      if (ticked) {
        lines.push(group.getAttribute("data-group") + ": " + ticked);
      }
    });
    form.querySelectorAll("[data-chosen-summary]").forEach(function (list) {
      list.replaceChildren.apply(
        list,
        lines.map(function (line) {
          var item = document.createElement("li");
          item.textContent = line;
          return item;
        })
      );
      list.hidden = lines.length === 0;
    });
  }

  // The count is live here: its round-trip button is for pages without script.
  form.querySelectorAll("[data-update-count]").forEach(function (button) {
    button.hidden = true;
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "item") {
      countChosen();
    }
  });

  form.querySelectorAll('button[name="action"][value="clear"]').forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      boxes.forEach(function (box) {
        box.checked = false;
      });
      form.querySelectorAll('input[name^="order."]').forEach(function (position) {
        position.value = "";
      });
      countChosen();
    });
  });

  var filter = form.querySelector('input[name="q"]');
  var status = form.querySelector("[data-filter-status]");
  if (!filter) {
    return;
  }

  function narrow() {
    var text = filter.value.trim();
    var wanted = text.toLocaleLowerCase();
    var shown = 0;
    form.querySelectorAll("[data-group]").forEach(function (group) {
      var choices = group.querySelectorAll("[data-choice]");
      var inGroup = 0;
      choices.forEach(function (choice) {
        // The item's own words, as the server matches them (not "Position").
        var words = choice.querySelector(".choice__label").textContent;
        var matches = words.toLocaleLowerCase().indexOf(wanted) !== -1;
        choice.hidden = !matches;
        inGroup += matches ? 1 : 0;
      });
      group.hidden = choices.length > 0 && inGroup === 0;
      shown += inGroup;
    });
    if (status) {
      status.textContent = text
        ? shown + (shown === 1 ? " item contains “" : " items contain “") + text + "”."
        : "";
    }
    // The server's "Show all items" link would reload the page: typing replaces it.
    form.querySelectorAll("[data-show-all]").forEach(function (link) {
      link.hidden = true;
    });
  }

  var shownWords = form.querySelector('input[name="shown"]');
  filter.addEventListener("input", function () {
    narrow();
    // The list already shows these words: Enter elsewhere builds the handout.
    if (shownWords) {
      shownWords.value = filter.value;
    }
  });
  filter.addEventListener("keydown", function (event) {
    // The list is already narrowed: Enter must not send the form.
    if (event.key === "Enter") {
      event.preventDefault();
    }
  });
})();
