// Draws each chart from the JSON beside it. The tables carry every number, so without
// JavaScript (or without sight) nothing is lost.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var colours = ["#005eb8", "#007f3b", "#ffb81c", "#330072", "#d5281b"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    spec.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = colours[index % colours.length];
      dataset.borderColor = colours[index % colours.length];
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: { responsive: true, animation: false, plugins: { legend: { position: "bottom" } } }
    });
  });
})();
