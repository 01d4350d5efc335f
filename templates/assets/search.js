// Client-side search over search-index.json, written by lextrack. The index
// is an array of [kind, href, title, text]; every word typed must occur in
// the title or text (case-insensitive). From disk (file://) browsers refuse
// to fetch files, so the same index is also loaded as search-index.js.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var entries = null;
  var MAX = 100;

  function load() {
    if (entries) return Promise.resolve(entries);
    if (window.lextrackSearchIndex) {
      entries = window.lextrackSearchIndex.entries;
      return Promise.resolve(entries);
    }
    var viaScript = function () {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = "search-index.js";
        s.onload = function () { resolve(window.lextrackSearchIndex.entries); };
        s.onerror = function () { reject(new Error("the search index could not be loaded")); };
        document.head.appendChild(s);
      });
    };
    var p = location.protocol === "file:" ? viaScript()
      : fetch("search-index.json").then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        }).then(function (j) { return j.entries; }, viaScript);
    return p.then(function (e) { entries = e; return e; });
  }

  function norm(s) { return s.toLocaleLowerCase(); }

  function run(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    load().then(function (list) {
      var hits = [];
      for (var i = 0; i < list.length && hits.length < MAX; i++) {
        var e = list[i];
        var hay = norm(e[2] + " " + e[3]);
        var ok = true;
        for (var w = 0; w < words.length; w++) {
          if (hay.indexOf(words[w]) < 0) { ok = false; break; }
        }
        if (ok) hits.push(e);
      }
      hits.forEach(function (e) {
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
      });
      status.textContent = hits.length === 0 ? "No matches."
        : hits.length >= MAX ? "The first " + MAX + " matches." : hits.length + (hits.length === 1 ? " match." : " matches.");
    }, function (err) {
      status.textContent = "Search is not available: " + err.message;
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
