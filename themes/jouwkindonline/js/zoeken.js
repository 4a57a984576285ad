/* Site search on /zoeken/: the same words, stems and ranking as the Rust side
   (src/search/text.rs and src/search/query.rs; tests/search.rs holds them to the
   same results), and the progressive enhancement of the search form. The index
   files are scripts that call wegwijsZoeken.load(...): loaded with <script src>,
   so the strict CSP needs no fetch and no WebAssembly. No dependencies. */
(function () {
  "use strict";

  // ---- words and stems (src/search/text.rs) ----

  var ALNUM = /[\p{Alphabetic}\p{N}]/u;

  function fold(c) {
    var x = c.codePointAt(0);
    if ((x >= 0xe0 && x <= 0xe5) || (x >= 0xc0 && x <= 0xc5)) return "a";
    if ((x >= 0xe8 && x <= 0xeb) || (x >= 0xc8 && x <= 0xcb)) return "e";
    if ((x >= 0xec && x <= 0xef) || (x >= 0xcc && x <= 0xcf)) return "i";
    if ((x >= 0xf2 && x <= 0xf6) || (x >= 0xd2 && x <= 0xd6)) return "o";
    if ((x >= 0xf9 && x <= 0xfc) || (x >= 0xd9 && x <= 0xdc)) return "u";
    if (x === 0xfd || x === 0xff || x === 0xdd) return "y";
    if (x === 0xe7 || x === 0xc7) return "c";
    if (x === 0xf1 || x === 0xd1) return "n";
    var lower = c.toLowerCase();
    return String.fromCodePoint(lower.codePointAt(0));
  }

  function words(text) {
    var out = [], word = "", chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (ALNUM.test(c)) word += fold(c);
      else if ((c === "'" || c === "\u2019") && word && i + 1 < chars.length && ALNUM.test(chars[i + 1])) continue;
      else if (word) { out.push(word); word = ""; }
    }
    if (word) out.push(word);
    return out;
  }

  function isVowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y" || c === "\u00e8"; }

  // The Snowball Dutch stemmer (snowballstem.org), as rust-stemmers runs it.
  function snowball(word) {
    var accents = { "\u00e1": "a", "\u00e4": "a", "\u00e9": "e", "\u00eb": "e", "\u00ed": "i", "\u00ef": "i", "\u00f3": "o", "\u00f6": "o", "\u00fa": "u", "\u00fc": "u" };
    var s = Array.from(word).map(function (c) { return accents[c] || c; });
    var p, n = s.length;
    if (s[0] === "y") s[0] = "Y";
    for (p = 0; p + 1 < n; p++) {
      if (!isVowel(s[p])) continue;
      if (s[p + 1] === "i" && p + 2 < n && isVowel(s[p + 2])) s[p + 1] = "I";
      else if (s[p + 1] === "y") s[p + 1] = "Y";
    }
    var p1 = n, p2 = n, i = 0;
    (function () {
      while (i < n && !isVowel(s[i])) i++;
      if (i >= n) return; i++;
      while (i < n && isVowel(s[i])) i++;
      if (i >= n) return; i++;
      p1 = i < 3 ? 3 : i;
      while (i < n && !isVowel(s[i])) i++;
      if (i >= n) return; i++;
      while (i < n && isVowel(s[i])) i++;
      if (i >= n) return; i++;
      p2 = i;
    })();
    var eFound = false;
    var ends = function (suffix) { return s.length >= suffix.length && s.slice(s.length - suffix.length).join("") === suffix; };
    var before = function (pos) { return pos > 0 ? s[pos - 1] : null; };
    var cut = function (pos) { s.length = pos; };
    var undouble = function () { if (ends("dd") || ends("kk") || ends("tt")) s.length -= 1; };
    var enEnding = function (pos) {
      var b = before(pos);
      if (p1 > pos || b === null || isVowel(b)) return;
      if (pos >= 3 && s.slice(pos - 3, pos).join("") === "gem") return;
      cut(pos); undouble();
    };
    var eEnding = function () {
      eFound = false;
      var pos = s.length - 1, b = before(pos);
      if (!ends("e") || p1 > pos || b === null || isVowel(b)) return;
      cut(pos); eFound = true; undouble();
    };
    // Step 1: the longest of heden, ene, en, se, s.
    var one = ["heden", "ene", "en", "se", "s"].find(ends);
    if (one) {
      var pos1 = s.length - one.length, b1 = before(pos1);
      if (one === "heden") { if (p1 <= pos1) { cut(pos1); s.push("h", "e", "i", "d"); } }
      else if (one === "ene" || one === "en") enEnding(pos1);
      else if (p1 <= pos1 && b1 !== null && !isVowel(b1) && b1 !== "j") cut(pos1);
    }
    eEnding();
    if (ends("heid")) {
      var pos2 = s.length - 4;
      if (p2 <= pos2 && before(pos2) !== "c") {
        cut(pos2);
        if (ends("en")) enEnding(s.length - 2);
      }
    }
    var three = ["lijk", "baar", "end", "ing", "bar", "ig"].find(ends);
    if (three) {
      var pos3 = s.length - three.length;
      if (three === "end" || three === "ing") {
        if (p2 <= pos3) {
          cut(pos3);
          var posIg = s.length - 2;
          if (ends("ig") && p2 <= posIg && before(posIg) !== "e") cut(posIg);
          else undouble();
        }
      } else if (three === "ig") {
        if (p2 <= pos3 && before(pos3) !== "e") cut(pos3);
      } else if (three === "lijk") {
        if (p2 <= pos3) { cut(pos3); eEnding(); }
      } else if (three === "baar") {
        if (p2 <= pos3) cut(pos3);
      } else if (three === "bar") {
        if (p2 <= pos3 && eFound) cut(pos3);
      }
    }
    n = s.length;
    if (n >= 4 && !isVowel(s[n - 1]) && s[n - 1] !== "I") {
      var pair = s[n - 3] + s[n - 2];
      if ((pair === "aa" || pair === "ee" || pair === "oo" || pair === "uu") && !isVowel(s[n - 4])) s.splice(n - 2, 1);
    }
    return s.map(function (c) { return c === "Y" ? "y" : c === "I" ? "i" : c; }).join("");
  }

  function isPlainVowel(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }

  // The three steps after Snowball (text.rs, `finish`).
  function finish(stem) {
    var c = Array.from(stem), n = c.length;
    if (n >= 4 && c[n - 1] === "t" && !isPlainVowel(c[n - 2]) && c[n - 2] !== "t") { c.pop(); n--; }
    if (n >= 3 && c[n - 1] === c[n - 2] && /\p{Alphabetic}/u.test(c[n - 1]) && !isPlainVowel(c[n - 1])) { c.pop(); n--; }
    if (n >= 4 && !isPlainVowel(c[n - 1]) && "aeou".indexOf(c[n - 2]) >= 0 && c[n - 2] === c[n - 3] && !isPlainVowel(c[n - 4])) c.splice(n - 2, 1);
    return c.join("");
  }

  var stemCache = Object.create(null);
  function stem(word) {
    if (!(word in stemCache)) stemCache[word] = finish(snowball(word));
    return stemCache[word];
  }

  // ---- the index and the ranking (src/search/mod.rs, src/search/query.rs) ----

  function shardOf(term, shards) {
    var key = Array.from(term).slice(0, 3).join("");
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h % Math.max(shards, 1);
  }

  function distance(a, b) {
    a = Array.from(a); b = Array.from(b);
    var row = [], j;
    for (j = 0; j <= b.length; j++) row.push(j);
    for (var i = 0; i < a.length; i++) {
      var previous = row[0];
      row[0] = i + 1;
      for (j = 0; j < b.length; j++) {
        var here = row[j + 1];
        row[j + 1] = Math.min(previous + (a[i] !== b[j] ? 1 : 0), row[j] + 1, here + 1);
        previous = here;
      }
    }
    return row[b.length];
  }

  function decode(terms) {
    var out = new Map();
    Object.keys(terms).forEach(function (t) {
      var flat = terms[t], list = [], id = 0;
      for (var i = 0; i + 1 < flat.length; i += 2) { id += flat[i]; list.push([id, flat[i + 1]]); }
      out.set(t, list);
    });
    return out;
  }

  function addMax(scores, list, factor) {
    list.forEach(function (p) { var v = p[1] * factor; if (!(scores.get(p[0]) >= v)) scores.set(p[0], v); });
  }

  // A searcher over `load(url)`, which resolves to the data of an index file.
  function Searcher(meta, load) {
    this.meta = meta; this.load = load; this.shards = new Map(); this.chunks = new Map();
  }
  Searcher.prototype.shard = function (term) {
    var n = shardOf(term, this.meta.shards.length), self = this;
    if (!this.shards.has(n)) this.shards.set(n, this.load(this.meta.shards[n]).then(function (d) { return decode(d.terms); }));
    return this.shards.get(n);
  };
  Searcher.prototype.exact = function (term) {
    return this.shard(term).then(function (shard) {
      var scores = new Map();
      (shard.get(term) || []).forEach(function (p) { scores.set(p[0], p[1] * 10); });
      return scores;
    });
  };
  Searcher.prototype.word = function (term) {
    var self = this;
    return Promise.all([this.exact(term), this.shard(term)]).then(function (r) {
      var scores = r[0], shard = r[1], length = Array.from(term).length;
      if (length >= 3) shard.forEach(function (list, t) { if (t.length > term.length && t.startsWith(term)) addMax(scores, list, 7); });
      if (scores.size === 0 && length >= 4) {
        var limit = length <= 6 ? 1 : 2;
        shard.forEach(function (list, t) {
          if (Math.abs(Array.from(t).length - length) <= limit && distance(term, t) <= limit) addMax(scores, list, 5);
        });
      }
      return scores;
    });
  };
  Searcher.prototype.mask = function (key, slugs) {
    var all = this.meta[key];
    return slugs.reduce(function (m, s) { var i = all.indexOf(s); return i < 0 ? m : m | (1 << i); }, 0);
  };
  Searcher.prototype.doc = function (id) {
    var n = Math.floor(id / this.meta.chunk), self = this;
    if (!this.chunks.has(n)) this.chunks.set(n, this.load(this.meta.chunks[n]));
    return this.chunks.get(n).then(function (d) { return d.list[id % self.meta.chunk]; });
  };
  // Resolves to [{ url, title, description, kind, matched, score }], best first;
  // page data is loaded for the first `limit` only.
  Searcher.prototype.search = function (query, filters, limit) {
    var self = this, stop = this.meta.stop;
    var ws = words(query).filter(function (w) { return stop.indexOf(w) < 0; });
    var terms = ws.map(stem);
    var perWord, joinedTerms = [];
    // The first word as typed, the second stemmed, as pairs are indexed (mod.rs, `WordInfo`).
    for (var i = 0; i + 1 < ws.length; i++) joinedTerms.push(ws[i] + stem(ws[i + 1]));
    return Promise.all(terms.map(function (t) { return self.word(t); })).then(function (r) {
      perWord = r;
      return Promise.all(joinedTerms.map(function (t) { return self.exact(t); }));
    }).then(function (joined) {
      joined.forEach(function (scores, i) {
        [i, i + 1].forEach(function (j) { scores.forEach(function (s, id) { if (!(perWord[j].get(id) >= s)) perWord[j].set(id, s); }); });
      });
      var work = [];
      terms.forEach(function (term, i) {
        var phrases = Object.prototype.hasOwnProperty.call(self.meta.synonyms, term) ? self.meta.synonyms[term] : [];
        phrases.forEach(function (phrase) {
          work.push(Promise.all(phrase.map(function (t) { return self.exact(t); })).then(function (lists) {
            if (!lists.length) return;
            lists[0].forEach(function (_, id) {
              if (!lists.every(function (l) { return l.has(id); })) return;
              var sum = lists.reduce(function (a, l) { return a + l.get(id); }, 0);
              var v = Math.floor(sum / lists.length);
              if (!(perWord[i].get(id) >= v)) perWord[i].set(id, v);
            });
          }));
        });
      });
      return Promise.all(work);
    }).then(function () {
      var totals = new Map();
      perWord.forEach(function (scores) {
        scores.forEach(function (s, id) { var t = totals.get(id) || [0, 0]; totals.set(id, [t[0] + 1, t[1] + s]); });
      });
      var themes = self.mask("themes", filters.themes || []), ages = self.mask("ages", filters.ages || []);
      var f = self.meta.filters, ranked = [];
      totals.forEach(function (t, id) {
        var tm = f[id * 2] || 0, am = f[id * 2 + 1] || 0;
        if (themes !== 0 && (tm & themes) === 0) return;
        if (ages !== 0 && am !== 0 && (am & ages) === 0) return;
        ranked.push([id, t[0], t[1]]);
      });
      ranked.sort(function (a, b) { return b[1] - a[1] || b[2] - a[2] || a[0] - b[0]; });
      var total = ranked.length;
      return Promise.all(ranked.slice(0, limit).map(function (r) {
        return self.doc(r[0]).then(function (d) {
          return { url: d[0], title: d[1], description: d[2], kind: d[3], matched: r[1], score: r[2] };
        });
      })).then(function (hits) { return { total: total, hits: hits }; });
    });
  };

  var api = { words: words, stem: stem, Searcher: Searcher };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }
  if (typeof document === "undefined") return;

  // ---- the page ----

  var pending = Object.create(null), loaded = Object.create(null);
  window.wegwijsZoeken = {
    load: function (data) {
      var key = data.t + (data.n === undefined ? "" : data.n);
      loaded[key] = data;
    }
  };
  // Each index file registers itself as it runs; its load event follows at once.
  function load(url) {
    if (!pending[url]) {
      pending[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () {
          var m = /\/(meta|s|d)(\d*)\.[0-9a-f]+\.js$/.exec(url);
          var key = m ? (m[1] === "s" ? "shard" : m[1] === "d" ? "docs" : "meta") + m[2] : "";
          if (loaded[key]) resolve(loaded[key]); else reject(new Error("index file " + url));
        };
        script.onerror = function () { reject(new Error("index file " + url)); };
        document.head.appendChild(script);
      });
    }
    return pending[url];
  }

  var form = document.getElementById("zoeken");
  if (!form) return;
  var input = document.getElementById("zoekterm");
  var status = document.getElementById("zoekstatus");
  var list = document.getElementById("zoeklijst");
  var searcher = load(form.getAttribute("data-index")).then(function (meta) { return new Searcher(meta, load); });
  Array.prototype.forEach.call(document.querySelectorAll(".search-js"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll(".search-nojs"), function (el) { el.hidden = true; });

  function checked(name) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (el) { return el.value; });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
    box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
  });

  var counter = 0;
  function run() {
    var query = input.value.trim(), mine = ++counter;
    var filters = { themes: checked("thema"), ages: checked("leeftijd") };
    var url = new URLSearchParams();
    if (query) url.set("q", query);
    filters.themes.forEach(function (t) { url.append("thema", t); });
    filters.ages.forEach(function (a) { url.append("leeftijd", a); });
    var qs = url.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    searcher.then(function (s) { return s.search(query, filters, 20); }).then(function (r) {
      if (mine !== counter) return;
      list.textContent = "";
      r.hits.forEach(function (hit) {
        var li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span"), p = document.createElement("p");
        a.href = hit.url; a.textContent = hit.title;
        kind.className = "search-kind"; kind.textContent = hit.kind;
        p.textContent = hit.description;
        li.append(a, " ", kind, p);
        list.appendChild(li);
      });
      status.textContent = r.total === 0 ? "Geen resultaten voor \u201c" + query + "\u201d. Probeer een ander woord, of kies hieronder een thema."
        : r.total === 1 ? "1 resultaat voor \u201c" + query + "\u201d."
        : r.total + " resultaten voor \u201c" + query + "\u201d" + (r.total > r.hits.length ? ", de eerste " + r.hits.length + " staan hieronder." : ".");
    }).catch(function () {
      if (mine === counter) status.textContent = "Zoeken lukt nu niet. Kies hieronder een thema of leeftijd.";
    });
  }

  var timer;
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  form.addEventListener("change", function (e) { if (e.target.type === "checkbox") run(); });
  if (input.value) run();
})();
