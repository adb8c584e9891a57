// The show's pages: copy the feed address; on an episode page, seek the player to a
// chapter or transcript line and mark the line being spoken. No data lives in this
// script: times and texts come from the page's elements, which the server escaped.
"use strict";

(function () {
  function setUpCopy() {
    var button = document.getElementById("copy-feed");
    var field = document.getElementById("feed-url");
    var status = document.getElementById("copy-status");
    if (!button || !field || !status) {
      return;
    }
    function fallback() {
      field.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (error) {
        ok = false;
      }
      status.textContent = ok ? button.dataset.copied : button.dataset.failed;
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          status.textContent = button.dataset.copied;
        }, fallback);
      } else {
        fallback();
      }
    });
  }

  function setUpPlayer() {
    var audio = document.getElementById("player");
    if (!audio) {
      return;
    }
    var marks = Array.prototype.slice.call(document.querySelectorAll(".seek[data-start]"));
    var transcript = document.getElementById("transcript");
    var current = [];

    function span(element) {
      return [parseFloat(element.dataset.start), parseFloat(element.dataset.end)];
    }

    function keepInView(cue) {
      // Scroll the transcript box only, never the page under the listener's eyes.
      if (!transcript || !transcript.contains(cue)) {
        return;
      }
      var top = cue.offsetTop - transcript.offsetTop;
      if (top < transcript.scrollTop || top + cue.offsetHeight > transcript.scrollTop + transcript.clientHeight) {
        transcript.scrollTop = Math.max(0, top - transcript.clientHeight / 3);
      }
    }

    function update() {
      var now = audio.currentTime;
      var active = marks.filter(function (element) {
        var range = span(element);
        return now >= range[0] && (now < range[1] || (range[1] <= range[0] && now === range[0]));
      });
      current.forEach(function (element) {
        if (active.indexOf(element) < 0) {
          element.removeAttribute("aria-current");
        }
      });
      active.forEach(function (element) {
        if (current.indexOf(element) < 0) {
          element.setAttribute("aria-current", "true");
          keepInView(element);
        }
      });
      current = active;
    }

    marks.forEach(function (element) {
      element.addEventListener("click", function () {
        audio.currentTime = span(element)[0];
        update();
        var playing = audio.play();
        if (playing && playing.catch) {
          playing.catch(function () {});
        }
      });
    });
    audio.addEventListener("timeupdate", update);
    audio.addEventListener("seeked", update);
    update();
  }

  function start() {
    setUpCopy();
    setUpPlayer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
