/* The interactive decision tool ("beslishulp"): a pure evaluator, identical to the Rust
   one (src/rules/eval.rs), and the progressive enhancement of #beslishulp on a tool's
   start page. No dependencies, no build step. Texts go in as text nodes; rich texts are
   cloned from <template>s in the page, never parsed from strings. */
(function () {
  "use strict";

  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  // answers: question id -> answer (string). Returns { outcome, path }, { missing, path }
  // or { invalid, answer, allowed }, exactly like the Rust evaluator.
  function evaluate(data, answers) {
    var path = [], id = data.start, qs = data.questions, n = Object.keys(qs).length;
    // A checked tree has no cycles; the bound only guards against a bug.
    for (var i = 0; i <= n; i++) {
      var q = qs[id], target;
      if (!has(answers, id)) return { missing: id, path: path };
      var answer = String(answers[id]);
      if (q.type === "number") {
        var x = /^-?\d{1,15}$/.test(answer) ? Number(answer) : NaN;
        target = x >= q.min && x <= q.max && q.branches.find(function (b) { return x >= b.min && x <= b.max; });
        if (!target) return { invalid: id, answer: answer, allowed: "a whole number from " + q.min + " to " + q.max };
      } else {
        target = q.options.find(function (o) { return o.id === answer; });
        if (!target) return { invalid: id, answer: answer, allowed: q.options.map(function (o) { return o.id; }).join(", ") };
      }
      path.push({ question: id, answer: answer });
      if (target.outcome !== undefined) return { outcome: target.outcome, path: path };
      id = target.next;
    }
    return { missing: id, path: path };
  }

  if (typeof module === "object" && module.exports) module.exports = { evaluate: evaluate };
  if (typeof document === "undefined") return;

  var D, root, intro, live, baseTitle, shown;

  // el("p", { class: "x" }, "text", child, ...): an element with attributes and children;
  // strings become text nodes.
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) e.append(arguments[i]);
    return e;
  }
  function clone(id) {
    var t = document.getElementById(id);
    return t ? t.content.cloneNode(true) : null;
  }
  function query(path) {
    return path.map(function (s) { return encodeURIComponent(s.question) + "=" + encodeURIComponent(s.answer); }).join("&");
  }
  function href(path) {
    return location.pathname + (path.length ? "?" + query(path) : "");
  }
  function navLink(path, text, kind) {
    return el("a", { href: href(path), "data-nav": kind || "" }, text);
  }
  function fromUrl() {
    var p = new URLSearchParams(location.search), a = {};
    Object.keys(D.questions).forEach(function (id) { if (p.has(id)) a[id] = p.get(id); });
    return a;
  }
  function answersOf(path) {
    var a = {};
    path.forEach(function (s) { a[s.question] = s.answer; });
    return a;
  }
  function targets(q) { return q.branches || q.options; }
  // The most questions still to come from question `id`, itself included.
  function depth(id) {
    return 1 + Math.max.apply(null, targets(D.questions[id]).map(function (t) { return t.next ? depth(t.next) : 0; }));
  }
  function label(step) {
    var q = D.questions[step.question];
    if (q.type === "number") return step.answer + (q.unit ? " " + q.unit : "");
    return q.options.find(function (o) { return o.id === step.answer; }).label;
  }

  // "Jouw antwoorden": a summary list; "Wijzig" goes back to that question.
  function answersBlock(path) {
    if (!path.length) return null;
    var dl = el("dl", { class: "summary-list" });
    path.forEach(function (s, i) {
      var ask = D.questions[s.question].ask;
      var change = navLink(path.slice(0, i), "Wijzig");
      change.append(el("span", { class: "visually-hidden" }, " je antwoord op: " + ask));
      dl.append(el("div", { class: "summary-list__row" }, el("dt", {}, ask), el("dd", {}, label(s)),
        el("dd", { class: "summary-list__change" }, change)));
    });
    return el("section", { class: "tool-answers" }, el("h2", {}, "Jouw antwoorden"), dl);
  }

  // The error message for an answer `value` that is missing or not allowed.
  function message(q, value) {
    var range = q.min + " tot " + q.max;
    if (q.type !== "number") return "Kies een antwoord.";
    if (value === "") return "Vul een getal in van " + range + ".";
    if (!/^-?\d{1,15}$/.test(value)) return "Vul alleen cijfers in: een heel getal van " + range + ".";
    return "Het getal moet van " + range + " zijn.";
  }

  function questionView(id, path, error) {
    var q = D.questions[id], num = q.type === "number", h = path.length ? "h1" : "h2";
    var heading = el(h, { class: "tool-ask", tabindex: "-1", id: "vraag-" + id }, q.ask);
    var fs = el("fieldset", { class: "tool-question", "data-question": id },
      el("legend", { class: "tool-legend" }, heading));
    var described = [], field, summary;
    var help = clone("vraag-" + id + "-hulp");
    if (help) {
      fs.append(el("div", { class: "tool-help", id: "hulp-" + id }, help));
      described.push("hulp-" + id);
    }
    if (num) fs.append(el("p", { class: "tool-hint", id: "hint-" + id }, "Vul een getal in van " + q.min + " tot " + q.max));
    if (error) {
      fs.classList.add("has-error");
      fs.append(el("p", { class: "error-message", id: "fout-" + id }, el("span", { class: "visually-hidden" }, "Fout: "), error.text));
    }
    if (num) {
      field = el("input", {
        id: "antwoord-" + id, name: id, type: "text", inputmode: "numeric", autocomplete: "off",
        spellcheck: "false", class: "tool-number", "aria-labelledby": "vraag-" + id + " eenheid-" + id,
        "aria-describedby": "hint-" + id + (error ? " fout-" + id : ""),
        "aria-invalid": error ? "true" : null
      });
      if (error) field.value = error.value;
      fs.append(el("div", { class: "tool-number-row" }, field, el("label", { for: field.id, id: "eenheid-" + id }, q.unit || "getal")));
    } else {
      if (error) described.push("fout-" + id);
      var list = el("div", { class: "tool-radios" });
      q.options.forEach(function (o, i) {
        var input = el("input", { type: "radio", id: "antwoord-" + id + "-" + i, name: id, value: o.id });
        field = field || input;
        list.append(el("div", { class: "tool-radio" }, input, el("label", { for: input.id }, o.label)));
      });
      fs.append(list);
    }
    if (described.length) fs.setAttribute("aria-describedby", described.join(" "));

    var form = el("form", { class: "tool-form", novalidate: "" }, fs,
      el("button", { type: "submit", class: "tool-button" }, "Volgende"));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var value = num ? field.value.trim() : (form.querySelector("input:checked") || {}).value || "";
      var a = answersOf(path);
      a[id] = value;
      var r = evaluate(D, a);
      if (r.invalid || value === "") render(false, { text: message(q, value), value: value });
      else go(href(r.path));
    });

    var out = [];
    if (path.length) out.push(el("p", { class: "tool-back" }, navLink(path.slice(0, -1), "Terug", "back")));
    if (error) {
      var link = el("a", { href: "#" + field.id }, error.text);
      link.addEventListener("click", function (e) {
        e.preventDefault();
        fs.scrollIntoView();
        field.focus({ preventScroll: true });
      });
      summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1", "aria-labelledby": "fout-titel" },
        el("h2", { id: "fout-titel" }, "Er is een probleem"), el("ul", {}, el("li", {}, link)));
      out.push(summary);
    }
    var caption = "Vraag " + (path.length + 1) + " van hoogstens " + (path.length + depth(id));
    out.push(el("p", { class: "tool-caption" }, caption), form);
    if (path.length) out.push(el("p", { class: "tool-restart" }, navLink([], "Opnieuw beginnen")));
    out.push(answersBlock(path));
    return { nodes: out, heading: heading, focus: summary || heading, status: caption };
  }

  function outcomeView(id, path) {
    var o = D.outcomes[id], block = clone("uitkomst-" + id) || document.createDocumentFragment();
    var heading = el("h1", { tabindex: "-1" }, o.title);
    var box = block.querySelector(".outcome");
    if (box) {
      box.setAttribute("data-outcome", id);
      box.insertBefore(heading, box.children[1] || null);
    } else block.prepend(heading);
    var share = clone("delen"), url = share && share.querySelector("[data-share]");
    if (url) {
      url.href = location.href;
      url.textContent = location.href;
    }
    var print = el("button", { type: "button", class: "tool-button tool-button--secondary" }, "Print deze uitkomst");
    print.addEventListener("click", function () { window.print(); });
    return {
      nodes: [el("p", { class: "tool-back" }, navLink(path.slice(0, -1), "Terug", "back")), block,
        answersBlock(path), clone("plannen"), share,
        el("p", { class: "tool-actions" }, print), el("p", { class: "tool-restart" }, navLink([], "Opnieuw beginnen"))],
      heading: heading, focus: heading
    };
  }

  // Show the step the URL asks for; `error` re-shows the current question with a message.
  function render(initial, error) {
    var answers = fromUrl(), r = evaluate(D, answers), view, status;
    shown = location.search;
    if (r.invalid) {
      // An answer in the URL that is not allowed: ask that question again, with the error.
      error = error || { text: message(D.questions[r.invalid], r.answer), value: r.answer };
      delete answers[r.invalid];
      r = evaluate(D, answers);
    }
    if (r.outcome !== undefined) {
      view = outcomeView(r.outcome, r.path);
      status = "Uitkomst: " + D.outcomes[r.outcome].title;
    } else {
      view = questionView(r.missing, r.path, error);
      status = view.status;
    }
    var onStart = !r.path.length && r.outcome === undefined;
    if (intro) intro.hidden = !onStart;
    root.replaceChildren.apply(root, view.nodes.filter(Boolean));
    document.title = (error ? "Fout: " : "") + (onStart ? "" : view.heading.textContent + " | ") + baseTitle;
    if (live) live.textContent = (error ? "Er is een probleem. " : "") + status;
    if (!initial || error) view.focus.focus();
  }

  function go(url) {
    history.pushState({ from: location.href }, "", url);
    render(false);
  }

  window.wegwijsBeslishulp = {
    register: function (data) {
      root = document.getElementById("beslishulp");
      if (!root || root.getAttribute("data-tool") !== data.name) return;
      D = data;
      intro = document.getElementById("beslishulp-intro");
      live = document.getElementById("beslishulp-status");
      baseTitle = document.title;
      root.classList.add("tool-js");
      // Links inside the tool ("Terug", "Wijzig", "Opnieuw beginnen") stay on this page.
      root.addEventListener("click", function (e) {
        var a = e.target.closest("a[data-nav]");
        if (!a || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        // "Terug" is the browser's Back when that leads to the same step; else a new entry.
        if (a.getAttribute("data-nav") === "back" && history.state && history.state.from === a.href) history.back();
        else go(a.href);
      });
      // A jump to an anchor (the skip link) changes no answer: nothing to redraw.
      window.addEventListener("popstate", function () { if (location.search !== shown) render(false); });
      render(true);
    }
  };
})();
