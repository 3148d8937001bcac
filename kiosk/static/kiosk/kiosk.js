/* Agora kiosk script: the site's only script, loaded in kiosk mode only (see the kiosk app).
 * Two parts: the idle timer, then the photo from the resident's phone (at the end).
 *
 * After a period without activity it shows the warning dialog rendered by
 * templates/kiosk/timer.html, counts down, then clears the forms and goes to the reset URL,
 * which ends any session on the server and returns to the kiosk home. Everything it needs
 * comes from data- attributes, so the Content-Security-Policy needs no inline script. The
 * Wagtail admin loads it too at the kiosk (templates/kiosk/admin_timer.html).
 *
 * A page that the browser brings back from its history after a reset (Back button, restored
 * form fields) belonged to the previous person: it is cleared and left for the kiosk home.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("kiosque-alerte");
  if (!dialog) {
    return;
  }
  var idleSeconds = parseInt(dialog.getAttribute("data-idle-seconds"), 10) || 180;
  var warningSeconds = parseInt(dialog.getAttribute("data-warning-seconds"), 10) || 30;
  var resetUrl = dialog.getAttribute("data-reset-url");
  var secondsLeft = dialog.querySelector("[data-kiosk-seconds]");
  var countdown = secondsLeft ? secondsLeft.parentNode : null;
  var live = dialog.querySelector("[data-kiosk-live]");
  var stay = dialog.querySelector("[data-kiosk-stay]");
  // Read aloud at these moments only: every second would drown everything else.
  var announceAt = [20, 10, 5];
  var RESET_KEY = "agora-kiosque-reinitialise";

  var lastActivity = Date.now();
  var shown = -1;
  var resetting = false;

  // A page that asks before being left (the admin's editor with unsaved changes) would hold the
  // reset, and nobody is there to answer. Added before the page's own listeners, this one
  // keeps them from asking when the kiosk resets.
  window.addEventListener("beforeunload", function (event) {
    if (resetting) {
      event.stopImmediatePropagation();
    }
  });

  function isOpen() {
    return dialog.hasAttribute("open");
  }

  function noteActivity() {
    // While the warning shows, only its button (or Escape) means "still here".
    if (!isOpen()) {
      lastActivity = Date.now();
    }
  }

  function announce() {
    if (live && countdown) {
      live.textContent = countdown.textContent.replace(/\s+/g, " ").trim();
    }
  }

  function openWarning() {
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    if (stay) {
      stay.focus();
    }
  }

  function closeWarning() {
    if (typeof dialog.close === "function") {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
    if (live) {
      live.textContent = "";
    }
    shown = -1;
    lastActivity = Date.now();
  }

  function clearForms() {
    Array.prototype.forEach.call(document.forms, function (form) {
      form.reset();
    });
  }

  // Resets are numbered in this tab; each page remembers the number it was first shown under.
  function generation() {
    try {
      return parseInt(window.sessionStorage.getItem(RESET_KEY), 10) || 0;
    } catch (error) {
      return 0;
    }
  }

  function markReset() {
    try {
      window.sessionStorage.setItem(RESET_KEY, String(generation() + 1));
    } catch (error) {
      // No storage (private mode, policy): the server-side reset still happens.
    }
  }

  function stamp(value) {
    try {
      window.history.replaceState({ agoraKiosque: value }, "");
    } catch (error) {
      // Without history state, entries from before a reset cannot be recognised.
    }
  }

  // Leave for the reset URL in place of this page: it is not one "Back" away. The entry is
  // stamped first, as Chromium may hand its state over to the page that replaces it.
  function leave() {
    resetting = true;
    clearForms();
    stamp(generation());
    window.location.replace(resetUrl);
  }

  function reset() {
    markReset();
    leave();
  }

  function tick() {
    if (resetting) {
      return;
    }
    var left = Math.ceil(idleSeconds - (Date.now() - lastActivity) / 1000);
    if (left <= 0) {
      reset();
      return;
    }
    if (left > warningSeconds) {
      return;
    }
    if (!isOpen()) {
      openWarning();
      if (secondsLeft) {
        secondsLeft.textContent = String(left);
      }
      announce();
    } else if (left !== shown && secondsLeft) {
      secondsLeft.textContent = String(left);
      if (announceAt.indexOf(left) !== -1) {
        announce();
      }
    }
    shown = left;
  }

  // Each history entry remembers the reset generation it was first shown under.
  var state = window.history.state;
  var shownUnder = state && typeof state.agoraKiosque === "number" ? state.agoraKiosque : null;
  if (shownUnder === null) {
    shownUnder = generation();
    stamp(shownUnder);
  }

  function leaveIfStale() {
    if (resetting) {
      return true;
    }
    if (shownUnder < generation()) {
      leave();
      return true;
    }
    return false;
  }

  ["pointerdown", "pointermove", "keydown", "input", "wheel", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, noteActivity, { capture: true, passive: true });
  });
  if (stay) {
    stay.addEventListener("click", closeWarning);
  }
  // Escape closes a modal dialog: that is an answer too.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    closeWarning();
  });
  // The "J'ai fini" link of the kiosk header resets too.
  Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-reset]"), function (link) {
    link.addEventListener("click", markReset);
  });
  // A page brought back whole from the back-forward cache: stale, or a fresh count.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      resetting = false;
      if (!leaveIfStale()) {
        closeWarning();
      }
    }
  });
  if (!leaveIfStale()) {
    window.setInterval(tick, 1000);
  }
})();

/* A photo from the resident's phone (templates/forms/photo_input.html): while the form waits,
 * ask every few seconds whether the photo sent to the QR code's one-time address has arrived;
 * then show it and give the form its token, so that it is sent with the proposal. */
(function () {
  "use strict";

  var box = document.querySelector("[data-phone-photo]");
  var keptInput = document.querySelector("[data-kept-photo]");
  if (!box || !keptInput || !window.fetch) {
    return;
  }
  var status = box.querySelector("[data-phone-photo-status]");
  var stopAt = Date.now() + 15 * 60 * 1000;

  function show(answer) {
    keptInput.value = answer.kept;
    var picture = document.createElement("img");
    picture.className = "kept-photo__thumbnail";
    picture.src = answer.thumbnail;
    picture.alt = box.getAttribute("data-received-alt");
    status.parentNode.insertBefore(picture, status);
    status.textContent = box.getAttribute("data-received-text");
    box.open = true;
  }

  function check() {
    if (Date.now() > stopAt) {
      return;
    }
    // Without cookies: asking is not someone's activity, and must neither keep the kiosk's session
    // alive nor bring its cookie back after the idle reset. The address's token is all it needs.
    fetch(box.getAttribute("data-status-url"), { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.received) {
          show(answer);
        } else {
          window.setTimeout(check, 3000);
        }
      })
      .catch(function () {
        window.setTimeout(check, 5000);
      });
  }

  window.setTimeout(check, 3000);
})();
