/* The correction page (minutes/correct.html): each line saves on its own without leaving the page, the keyboard
   moves from line to line, a line's time plays the recording from there, and, while a recording is still being
   transcribed, the lines it produces are taken in as they come, without touching the line being edited. */
(function () {
  "use strict";
  var list = document.getElementById("lines");
  if (!list) return;
  var player = document.getElementById("player");
  var progress = document.getElementById("transcription-progress");
  var checkAll = document.querySelector("form.check-all");

  function lineForms() { return Array.prototype.slice.call(list.querySelectorAll("form.line")); }
  function backupKey(form) { return "siap-line-" + form.id; }

  function playFrom(form) {
    var url = form.dataset.audio;
    if (player.dataset.src !== url) { player.src = url; player.dataset.src = url; }
    var seek = function () { player.currentTime = parseFloat(form.dataset.start); player.play(); };
    if (player.readyState >= 1) { seek(); } else { player.addEventListener("loadedmetadata", seek, {once: true}); player.load(); }
  }

  function focusLine(index) {
    var forms = lineForms();
    if (index < 0 || index >= forms.length) return;
    forms[index].querySelector("textarea").focus();
    forms[index].scrollIntoView({block: "center"});
  }

  function save(form, thenFocusNext, button) {
    var state = form.querySelector(".save-state");
    var checking = button && button.classList.contains("check");
    state.textContent = "…";
    return fetch(checking ? button.formAction : form.action, {method: "POST", body: new FormData(form), headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) {
        state.textContent = result[1].message;
        if (result[0] && checking) { form.classList.add("checked"); button.remove(); }
        else if (result[0]) {
          form.classList.add("edited"); form.classList.remove("dirty"); localStorage.removeItem(backupKey(form));
          var check = form.querySelector("button.check"); if (check) { check.remove(); }
        }
        if (result[0] && thenFocusNext) { focusLine(lineForms().indexOf(form) + 1); }
      })
      .catch(function () { state.textContent = list.dataset.failed; });
  }

  function setUp(form) {
    var area = form.querySelector("textarea");
    var backup = localStorage.getItem(backupKey(form));
    if (backup !== null && backup !== area.value) { area.value = backup; form.classList.add("dirty"); form.querySelector(".save-state").textContent = list.dataset.unsaved; }
    form.addEventListener("submit", function (event) { event.preventDefault(); save(form, false, event.submitter); });
    form.querySelector("button.time").addEventListener("click", function () { playFrom(form); });
    form.addEventListener("input", function () {
      form.classList.add("dirty");
      form.querySelector(".save-state").textContent = list.dataset.unsaved;
      localStorage.setItem(backupKey(form), area.value);
    });
    form.addEventListener("change", function (event) { if (event.target.tagName === "SELECT") { save(form, false); } });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(form, true); }
      else if (event.altKey && (event.key === "p" || event.key === "P")) { event.preventDefault(); if (player.paused || player.dataset.src !== form.dataset.audio) { playFrom(form); } else { player.pause(); } }
      else if (event.altKey && event.key === "ArrowDown") { event.preventDefault(); focusLine(lineForms().indexOf(form) + 1); }
      else if (event.altKey && event.key === "ArrowUp") { event.preventDefault(); focusLine(lineForms().indexOf(form) - 1); }
    });
  }

  lineForms().forEach(setUp);
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.line.dirty")) { event.preventDefault(); event.returnValue = ""; }
  });
  var target = location.hash && document.querySelector(location.hash);
  if (target && target.tagName === "FORM") { target.querySelector("textarea").focus(); }

  // While a recording is still being transcribed: ask every few seconds for the lines this page lacks. Each new
  // line comes with the line it follows and is inserted there; no line already on the page is replaced.
  function insert(row) {
    var holder = document.createElement("ol");
    holder.innerHTML = row.html;
    var item = holder.firstElementChild;
    var previous = row.after && document.getElementById("baris-" + row.after);
    if (previous) { previous.parentNode.after(item); } else { list.prepend(item); }
    var form = item.querySelector("form.line");
    setUp(form);
    if (checkAll) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "line"; input.value = form.dataset.line;
      checkAll.appendChild(input);
    }
  }

  function announceDone() {
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = list.dataset.done;
    progress.appendChild(note);
  }

  function later() { window.setTimeout(update, 1000 * parseFloat(list.dataset.every)); }

  function update() {
    var known = lineForms().map(function (form) { return form.dataset.line; }).join(",");
    fetch(list.dataset.poll + "&ada=" + known, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) return;  // the step is over (submitted from elsewhere): nothing more to take in
        return response.json().then(function (body) {
          var empty = list.querySelector("li.empty");
          if (empty && body.rows.length) { empty.remove(); }
          body.rows.forEach(insert);
          progress.innerHTML = body.progress;
          if (body.running) { later(); } else if (!body.progress) { announceDone(); }
        });
      }, later);  // the network failed: ask again later
  }

  if (list.dataset.poll) { later(); }
})();
