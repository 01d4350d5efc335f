// Client-side search over the index lextrack writes. search-index.json
// lists the index's parts (search/0000.json, …), each an array of
// [kind, href, title, text]; every word typed must occur in the title or
// text (case-insensitive). Beside each part it gives a filter of the
// trigrams in it, and a part whose filter lacks a trigram of a word typed
// cannot match and is not read. The parts that may match are scanned one
// at a time (the next one loading meanwhile), and only the matches are
// kept, so a national corpus never has to be held whole; the search stops
// at the first MAX matches. From disk (file://) browsers refuse to fetch
// files, so the same index is also written as scripts (search-index.js,
// search/0000.js, …) and loaded that way.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var MAX = 100;
  // The table of contents, once loaded: { shards: [path, …], filters:
  // [base64, …] or null, script: bool }.
  var contents = null;
  // Parts loaded as scripts hand their entries over here, by number.
  var waiting = {};
  // Bumped by every search, so that a search overtaken by the next stops.
  var generation = 0;

  window.lextrackSearchShard = function (n, part) {
    var resolve = waiting[n];
    if (resolve) {
      delete waiting[n];
      resolve(part.entries);
    }
  };

  function script(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function fetchJson(src) {
    return fetch(src).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status + " for " + src);
      return r.json();
    });
  }

  function loadContents() {
    if (contents) return Promise.resolve(contents);
    var viaScript = function () {
      return script("search-index.js").then(function () {
        var c = window.lextrackSearchIndex;
        return { shards: c.shards, filters: c.filters || null, script: true };
      });
    };
    var p = location.protocol === "file:" ? viaScript()
      : fetchJson("search-index.json").then(function (j) {
          return { shards: j.shards, filters: j.filters || null, script: false };
        }, viaScript);
    return p.then(function (c) { contents = c; return c; });
  }

  function loadShard(n) {
    var src = contents.shards[n];
    if (!contents.script) {
      return fetchJson(src).then(function (j) { return j.entries; });
    }
    var handedOver = new Promise(function (resolve) { waiting[n] = resolve; });
    return script(src).then(function () {
      if (waiting[n]) {
        delete waiting[n];
        throw new Error(src + " holds no part of the index");
      }
      return handedOver;
    });
  }

  // Lowercased without regard to the reader's locale, as lextrack
  // lowercases the text it builds the filters from.
  function norm(s) { return s.toLowerCase(); }

  // The filters repeat src/site/trigrams.rs bit for bit: FNV-1a over a
  // trigram's code points (a final sigma counted as sigma), murmur3's
  // finalizer, and three bits (h + i * (rotl(h, 16) | 1)) mod m.
  function hash(a, b, c) {
    var h = 0x811c9dc5;
    h = Math.imul(h ^ a, 0x01000193);
    h = Math.imul(h ^ b, 0x01000193);
    h = Math.imul(h ^ c, 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  function trigrams(word) {
    var cps = [];
    for (var ch of word) {
      var cp = ch.codePointAt(0);
      cps.push(cp === 0x3c2 ? 0x3c3 : cp);
    }
    var out = [];
    for (var i = 2; i < cps.length; i++) out.push(hash(cps[i - 2], cps[i - 1], cps[i]));
    return out;
  }

  // Decoded filters, by part.
  var filterBytes = {};

  // Whether part n may hold every trigram in `hashes`.
  function mayMatch(n, hashes) {
    if (!contents.filters || !hashes.length) return true;
    var bytes = filterBytes[n];
    if (!bytes) {
      var raw = atob(contents.filters[n]);
      bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      filterBytes[n] = bytes;
    }
    var mask = bytes.length * 8 - 1;
    for (var t = 0; t < hashes.length; t++) {
      var h = hashes[t];
      var step = ((h << 16) | (h >>> 16)) | 1;
      for (var k = 0; k < 3; k++) {
        var p = ((h + Math.imul(k, step)) >>> 0) & mask;
        if (!(bytes[p >>> 3] & (1 << (p & 7)))) return false;
      }
    }
    return true;
  }

  // An entry's text shown under it: a provision's whole text can be long,
  // so a piece of about SNIPPET characters, around the first word found
  // when that lies further in.
  var SNIPPET = 300;
  function snippet(text, words) {
    if (text.length <= SNIPPET) return text;
    var at = norm(text).indexOf(words[0]);
    var start = at > SNIPPET / 2 ? at - 60 : 0;
    // Never between the halves of a character outside the BMP.
    var low = function (i) { var c = text.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };
    while (start > 0 && low(start)) start--;
    var end = Math.min(text.length, start + SNIPPET);
    while (end < text.length && low(end)) end++;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function show(e, words) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = e[0];
    var a = document.createElement("a");
    a.href = e[1];
    a.textContent = e[2];
    li.appendChild(kind);
    li.appendChild(a);
    if (e[3]) {
      var p = document.createElement("p");
      p.textContent = snippet(e[3], words);
      li.appendChild(p);
    }
    results.appendChild(li);
  }

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    var mine = ++generation;
    results.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    var found = 0;
    function scan(list) {
      for (var i = 0; i < list.length && found < MAX; i++) {
        var e = list[i];
        var hay = norm(e[2] + " " + e[3]);
        var ok = true;
        for (var w = 0; w < words.length; w++) {
          if (hay.indexOf(words[w]) < 0) { ok = false; break; }
        }
        if (ok) { show(e, words); found++; }
      }
    }
    // The status is a live region: say where the search is at most once
    // a second, so that a screen reader is not handed every part.
    var told = Date.now();
    // The parts that may hold every word, by number.
    var parts = [];
    function progress(i) {
      if (parts.length < 2 || Date.now() - told < 1000) return;
      told = Date.now();
      status.textContent = "Searching… part " + (i + 1) + " of " + parts.length
        + (found ? ", " + found + (found === 1 ? " match" : " matches") + " so far" : "");
    }
    function done() {
      status.textContent = found === 0 ? "No matches."
        : found >= MAX ? "The first " + MAX + " matches."
        : found + (found === 1 ? " match." : " matches.");
    }
    // Scans the i-th part that may match once it is loaded, while the
    // next one loads.
    function next(i, loading) {
      return loading.then(function (list) {
        if (mine !== generation) return null;
        var more = i + 1 < parts.length;
        var following = more ? loadShard(parts[i + 1]) : null;
        scan(list);
        if (found >= MAX || !more) {
          // A part loaded ahead and not needed is dropped unread.
          if (following) following.catch(function () {});
          done();
          return null;
        }
        progress(i + 1);
        return next(i + 1, following);
      });
    }
    loadContents().then(function () {
      if (mine !== generation) return null;
      var hashes = [];
      words.forEach(function (w) { hashes = hashes.concat(trigrams(w)); });
      for (var n = 0; n < contents.shards.length; n++) {
        if (mayMatch(n, hashes)) parts.push(n);
      }
      if (!parts.length) { done(); return null; }
      return next(0, loadShard(parts[0]));
    }).catch(function (err) {
      if (mine === generation) status.textContent = "Search is not available: " + err.message;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var q = input.value;
    if (history.replaceState) {
      history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    }
    run(q);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
