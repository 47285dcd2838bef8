// Agora's only script: start DKFDS's components. No inline scripts anywhere, so a
// strict Content Security Policy (script-src 'self') works.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
  startCharacterCounters();
});

// DKFDS's character counter speaks Danish only; ours carry their texts in the page's
// language (data-* attributes). They get DKFDS's "form-limit" class for its styles
// only after DKFDS.init, so each counter is started once, with our texts.
function startCharacterCounters() {
  if (!window.DKFDS || typeof window.DKFDS.CharacterLimit !== "function") {
    return;
  }
  document.querySelectorAll(".agora-form-limit").forEach(function (container) {
    container.classList.add("form-limit");
    new window.DKFDS.CharacterLimit(container, {
      character_remaining: container.dataset.characterRemaining,
      characters_remaining: container.dataset.charactersRemaining,
      character_too_many: container.dataset.characterTooMany,
      characters_too_many: container.dataset.charactersTooMany,
    }).init();
  });
}

// After a failed submission, move focus to the error summary so it is read out first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// Suggestions in the search field: titles of hearings with a word beginning with what
// is typed ("kantine" → "Ny kantineordning"), in the field's own <datalist>.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector("input[data-suggest-url]");
  var list = field && document.getElementById(field.getAttribute("list"));
  if (!list || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = "";
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var query = field.value.trim();
      if (query.length < 2 || query === asked) {
        return;
      }
      asked = query;
      var url = field.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          list.replaceChildren();
          data.suggestions.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200);
  });
});

// File upload: the chosen files with their sizes below the field, read out politely.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=file][data-file-list]").forEach(function (input) {
    var list = document.getElementById(input.dataset.fileList);
    if (!list) {
      return;
    }
    input.addEventListener("change", function () {
      list.replaceChildren();
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        var size = file.size < 1024 * 1024
          ? Math.max(1, Math.round(file.size / 1024)) + " kB"
          : (file.size / (1024 * 1024)).toFixed(1) + " MB";
        item.textContent = file.name + " (" + size + ")";
        list.appendChild(item);
      });
    });
  });
});

// Answering as a hearing party answers "on behalf of" too: such questions are hidden
// while a party is chosen under "Answer as" (the server answers them with the party).
document.addEventListener("DOMContentLoaded", function () {
  var choices = document.querySelectorAll("input[name=answer_as_party]");
  var questions = document.querySelectorAll("[data-answered-by-party]");
  if (!choices.length || !questions.length) {
    return;
  }
  function update() {
    var party = Array.prototype.some.call(choices, function (choice) {
      return choice.checked && choice.value !== "";
    });
    questions.forEach(function (question) {
      question.hidden = party;
    });
  }
  choices.forEach(function (choice) {
    choice.addEventListener("change", update);
  });
  update();
});
