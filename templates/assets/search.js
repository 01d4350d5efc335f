// Client-side search over the index lextrack writes. search-index.json
// lists the index's parts (search/0000.json, …), each an array of
// [kind, href, title, text]; every word typed must occur in the title or
// text (case-insensitive). The parts are scanned one at a time (the next
// one loading meanwhile), and only the matches are kept, so a national
// corpus never has to be held whole; the search stops at the first MAX
// matches. From disk (file://)
// browsers refuse to fetch files, so the same index is also written as
// scripts (search-index.js, search/0000.js, …) and loaded that way.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var MAX = 100;
  // The table of contents, once loaded: { shards: [path, …], script: bool }.
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
        return { shards: window.lextrackSearchIndex.shards, script: true };
      });
    };
    var p = location.protocol === "file:" ? viaScript()
      : fetchJson("search-index.json").then(function (j) {
          return { shards: j.shards, script: false };
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

  function norm(s) { return s.toLocaleLowerCase(); }

  function show(e) {
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
      p.textContent = e[3];
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
        if (ok) { show(e); found++; }
      }
    }
    // The status is a live region: say where the search is at most once
    // a second, so that a screen reader is not handed every part.
    var told = Date.now();
    function progress(n) {
      if (contents.shards.length < 2 || Date.now() - told < 1000) return;
      told = Date.now();
      status.textContent = "Searching… part " + (n + 1) + " of " + contents.shards.length
        + (found ? ", " + found + (found === 1 ? " match" : " matches") + " so far" : "");
    }
    function done() {
      status.textContent = found === 0 ? "No matches."
        : found >= MAX ? "The first " + MAX + " matches."
        : found + (found === 1 ? " match." : " matches.");
    }
    // Scans part n once it is loaded, while the next part loads.
    function next(n, loading) {
      return loading.then(function (list) {
        if (mine !== generation) return null;
        var more = n + 1 < contents.shards.length;
        var following = more ? loadShard(n + 1) : null;
        scan(list);
        if (found >= MAX || !more) {
          // A part loaded ahead and not needed is dropped unread.
          if (following) following.catch(function () {});
          done();
          return null;
        }
        progress(n + 1);
        return next(n + 1, following);
      });
    }
    loadContents().then(function () { return next(0, loadShard(0)); }).catch(function (err) {
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
