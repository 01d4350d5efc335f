// Copy-link control for provision anchors: the pages work without it (the
// "#" is an ordinary link); with it, activating the link also copies the
// provision's full address.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a[data-copy]") : null;
    if (!a || !navigator.clipboard || !window.isSecureContext) return;
    var url = location.href.split("#")[0] + "#" + a.getAttribute("data-copy");
    navigator.clipboard.writeText(url).then(function () {
      var note = document.createElement("span");
      note.className = "copied";
      note.setAttribute("role", "status");
      note.textContent = "link copied";
      a.after(note);
      setTimeout(function () { note.remove(); }, 2000);
    }, function () {});
  });
})();

// Printing: folded lists ("Cited by") are opened for the printout and
// folded again after, for browsers whose print stylesheet cannot open them.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
