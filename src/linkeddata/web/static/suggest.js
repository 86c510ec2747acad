// Type-ahead for filter fields with data-suggest: asks /search.json as the person types and
// offers the matches (name and code) in the field's datalist. Without it the field still
// takes a code or an exact name.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === asked) { return; }
        asked = q;
        fetch(input.dataset.suggest + "&limit=10&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (body) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            body.results.forEach(function (hit) {
              var option = document.createElement("option");
              option.value = hit.code || hit.uri;
              option.label = hit.label + (hit.code ? " (" + hit.code + ")" : "");
              option.textContent = option.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience: the field still works */ });
      }, 150);
    });
  });
})();
