// wegwijs serve: live reload for the preview. Added to pages only by `wegwijs
// serve`, never to a build. Listens to the server's event stream:
//   hello/reload {build}  reload when this page is older than the served build
//   css {build}           only stylesheets changed: swap them, keep the scroll
//   failed {diagnostics}  the last save broke the build: show why over the page
// Error text is set with textContent, so it is never read as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : "";
  var overlay = null;

  function data(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return {};
    }
  }

  // The overlay joins the page only once its stylesheet has loaded, so it never
  // shows unstyled (a wide, unwrapped error box) for a moment.
  var cssReady = false;

  function place() {
    if (overlay && !overlay.isConnected) {
      document.body.appendChild(overlay);
    }
  }

  function loadCss() {
    if (document.querySelector("link[data-wegwijs]")) {
      return;
    }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = "/__wegwijs/live.css";
    css.setAttribute("data-wegwijs", "");
    var ready = function () {
      cssReady = true;
      place();
    };
    // Without its stylesheet the overlay still says what is wrong.
    css.addEventListener("load", ready);
    css.addEventListener("error", ready);
    document.head.appendChild(css);
  }

  function showProblems(list) {
    clearProblems();
    overlay = document.createElement("div");
    overlay.id = "wegwijs-overlay";
    overlay.setAttribute("role", "alert");
    var box = document.createElement("div");
    box.className = "wegwijs-box";
    var title = document.createElement("h2");
    title.textContent = "De site bouwt niet";
    var text = document.createElement("p");
    text.textContent =
      "Je ziet de laatste versie die wel werkte. Los de fout op en sla op: deze melding verdwijnt dan vanzelf.";
    var pre = document.createElement("pre");
    pre.textContent = (list || []).join("\n\n");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Verbergen";
    close.addEventListener("click", clearProblems);
    box.append(title, text, pre, close);
    overlay.appendChild(box);
    if (cssReady) {
      place();
    } else {
      loadCss();
    }
  }

  function clearProblems() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // Put the stylesheets of the fresh page in place of the old ones; the old one
  // goes when the new one has loaded, so the page never shows unstyled.
  function swapStyles() {
    fetch(location.href, { cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html");
        var want = Array.prototype.map.call(
          fresh.querySelectorAll('link[rel~="stylesheet"]'),
          function (link) {
            return link.getAttribute("href");
          }
        );
        var have = document.querySelectorAll('link[rel~="stylesheet"]:not([data-wegwijs])');
        if (want.length !== have.length) {
          location.reload();
          return;
        }
        Array.prototype.forEach.call(have, function (old, i) {
          if (old.getAttribute("href") === want[i]) {
            return;
          }
          var link = old.cloneNode(false);
          link.setAttribute("href", want[i]);
          link.addEventListener("load", function () {
            old.remove();
          });
          link.addEventListener("error", function () {
            location.reload();
          });
          old.after(link);
        });
      })
      .catch(function () {
        location.reload();
      });
  }

  var source = new EventSource("/__wegwijs/events");
  // Tells tests (and the curious) that the page listens.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-wegwijs-live", "");
  });
  source.addEventListener("hello", function (event) {
    if (data(event).build !== build) {
      location.reload();
    }
  });
  source.addEventListener("reload", function () {
    location.reload();
  });
  source.addEventListener("css", function (event) {
    build = data(event).build;
    clearProblems();
    swapStyles();
  });
  source.addEventListener("failed", function (event) {
    showProblems(data(event).diagnostics);
  });
})();
