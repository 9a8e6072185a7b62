// Autosave companion for the application form (no inline script: the CSP forbids it).
//
// htmx posts the form to the autosave URL when typing pauses. This file adds what the
// server cannot do: it keeps every value typed but not yet confirmed in localStorage
// (per application and field), restores it after a closed browser or an expired login,
// warns when the session has expired, and counts characters against the limit.
(function () {
  "use strict";

  var PREFIX = "portal-autosave:";

  function storageAvailable() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return true;
    } catch (error) {
      return false;
    }
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var index = parts[i].indexOf("=");
      if (parts[i].slice(0, index) === name) {
        return decodeURIComponent(parts[i].slice(index + 1));
      }
    }
    return null;
  }

  // Fields whose values autosave keeps: answers only, not files, tokens or buttons.
  function isAnswerField(element) {
    return element.name && element.name.indexOf("q_") === 0 && element.type !== "file" &&
      !element.disabled;
  }

  function fieldValue(form, name) {
    var elements = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    if (!elements.length) { return null; }
    var first = elements[0];
    if (first.type === "checkbox") {
      return Array.prototype.filter.call(elements, function (el) { return el.checked; })
        .map(function (el) { return el.value; });
    }
    if (first.type === "radio") {
      var checked = Array.prototype.find.call(elements, function (el) { return el.checked; });
      return checked ? checked.value : "";
    }
    if (first.tagName === "SELECT" && first.multiple) {
      return Array.prototype.filter.call(first.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
    }
    return first.value;
  }

  function setFieldValue(form, name, value) {
    var elements = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    if (!elements.length) { return; }
    var first = elements[0];
    if (first.type === "checkbox" || first.type === "radio") {
      var wanted = Array.isArray(value) ? value : [value];
      Array.prototype.forEach.call(elements, function (el) { el.checked = wanted.indexOf(el.value) !== -1; });
    } else {
      first.value = value;
    }
  }

  function answerNames(form) {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (isAnswerField(el) && names.indexOf(el.name) === -1) { names.push(el.name); }
    });
    return names;
  }

  function snapshot(form) {
    var values = {};
    answerNames(form).forEach(function (name) { values[name] = fieldValue(form, name); });
    return values;
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function baseInput(form, name) { return form.querySelector("#base-" + CSS.escape(name)); }

  function notSavedOnServer(form, name) {
    // After a refused save the page shows the typed text; it is still only in this browser.
    var status = form.querySelector("#status-" + CSS.escape(name));
    var field = form.querySelector('[name="' + CSS.escape(name) + '"]');
    return (status && status.querySelector(".conflict-notice, .text-danger")) ||
      (field && field.classList.contains("is-invalid"));
  }

  function setupStorage(form) {
    var appKey = form.dataset.autosaveKey;
    if (!appKey || !storageAvailable()) { return; }
    var keyFor = function (name) { return PREFIX + appKey + ":" + name; };
    var area = form.querySelector(".autosave-area");
    var state = document.getElementById("save-state");
    var warning = document.getElementById("session-warning");
    var pending = null;

    function remember(name) {
      var base = baseInput(form, name);
      var entry = { value: fieldValue(form, name), base: base ? base.value : "", at: Date.now() };
      try { window.localStorage.setItem(keyFor(name), JSON.stringify(entry)); } catch (error) { /* full */ }
    }

    function stored(name) {
      try { return JSON.parse(window.localStorage.getItem(keyFor(name)) || "null"); } catch (error) { return null; }
    }

    // Restore what was typed but never confirmed by the server.
    var restored = [];
    answerNames(form).forEach(function (name) {
      var entry = stored(name);
      if (!entry) { return; }
      if (same(entry.value, fieldValue(form, name))) {
        if (!notSavedOnServer(form, name)) { window.localStorage.removeItem(keyFor(name)); }
        return;
      }
      setFieldValue(form, name, entry.value);
      var base = baseInput(form, name);
      // Saving against the revision it was typed on lets the server spot a colleague's newer text.
      if (base && entry.base) { base.value = entry.base; }
      restored.push(name);
    });
    if (restored.length) {
      document.getElementById("restore-notice").hidden = false;
      // Save the restored text as if it had just been typed (once htmx has set up the form).
      var field = form.querySelector('[name="' + CSS.escape(restored[0]) + '"]');
      window.setTimeout(function () {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }, 0);
    }

    form.addEventListener("input", function (event) {
      if (isAnswerField(event.target)) { remember(event.target.name); }
    });
    form.addEventListener("change", function (event) {
      if (isAnswerField(event.target)) { remember(event.target.name); }
    });

    function showExpired() {
      if (warning) { warning.hidden = false; }
      if (state) { state.textContent = warning ? warning.querySelector("strong").textContent : ""; }
    }

    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt === area) { pending = snapshot(form); }
    });

    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== area) { return; }
      var xhr = event.detail.xhr;
      var redirected = xhr && xhr.responseURL && xhr.responseURL.indexOf("/autosave/") === -1;
      // 404: logged in meanwhile as someone who may not edit this application.
      if (!xhr || xhr.status === 401 || xhr.status === 403 || xhr.status === 404 || redirected) {
        showExpired();
      } else if (event.detail.successful && warning) {
        warning.hidden = true;
      }
    });

    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt === area && state) {
        state.textContent = form.dataset.offlineText || state.textContent;
      }
    });

    document.body.addEventListener("autosaved", function (event) {
      var detail = event.detail || {};
      if (!detail.saved && detail.value) { detail = detail.value; }
      (detail.saved || []).forEach(function (name) {
        var entry = stored(name);
        // Typing that went on after the request stays stored until its own save.
        if (entry && pending && same(entry.value, pending[name])) {
          window.localStorage.removeItem(keyFor(name));
        }
      });
    });
  }

  // The counter under a field is read with the field, not announced: a screen reader hears
  // the count only once typing pauses near or over the limit, in one shared polite region.
  var ANNOUNCE_FROM = 0.9;
  var ANNOUNCE_DELAY_MS = 1000;

  function setupCounters(form) {
    var word = form.dataset.counterText || "characters";
    var over = form.dataset.counterOver || "too long by";
    var left = form.dataset.counterLeft || "characters left";
    var announcer = document.createElement("div");
    announcer.className = "visually-hidden";
    announcer.setAttribute("role", "status");
    announcer.id = "counter-announcer";
    form.appendChild(announcer);
    var lastAnnounced = "";
    Array.prototype.forEach.call(form.querySelectorAll("[data-max-length]"), function (field) {
      var limit = parseInt(field.dataset.maxLength, 10);
      if (!limit) { return; }
      var counter = document.createElement("div");
      counter.className = "form-text char-counter";
      counter.id = field.id + "-counter";
      field.insertAdjacentElement("afterend", counter);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      var timer = null;
      var length = function () { return field.value.replace(/\r\n/g, "\n").length; };
      var update = function () {
        var count = length();
        counter.textContent = count + " / " + limit + " " + word +
          (count > limit ? " – " + over + " " + (count - limit) : "");
        counter.classList.toggle("text-danger", count > limit);
        counter.classList.toggle("fw-semibold", count > limit);
      };
      var announce = function () {
        var count = length();
        var text = "";
        if (count > limit) {
          text = over + " " + (count - limit);
        } else if (count >= limit * ANNOUNCE_FROM) {
          text = (limit - count) + " " + left;
        }
        if (text && text !== lastAnnounced) { announcer.textContent = text; }
        lastAnnounced = text;
      };
      field.addEventListener("input", function () {
        update();
        window.clearTimeout(timer);
        timer = window.setTimeout(announce, ANNOUNCE_DELAY_MS);
      });
      update();
    });
  }

  function setupCsrf(form) {
    // Logging in again in another tab renews the CSRF token: read it fresh for every request.
    var cookieName = form.dataset.csrfCookie || "csrftoken";
    document.body.addEventListener("htmx:configRequest", function (event) {
      var token = readCookie(cookieName);
      if (token) { event.detail.headers["X-CSRFToken"] = token; }
    });
  }

  function start() {
    var form = document.getElementById("application-form");
    if (!form) { return; }
    setupCounters(form);
    setupCsrf(form);
    setupStorage(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
