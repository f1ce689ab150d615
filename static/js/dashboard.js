/* Dashboard charts and the filter form's date inputs.
 * Chart data sits in <script type="application/json"> next to its canvas, so a page swapped in
 * by htmx carries its own data; charts are (re)drawn after every settle. */
(function () {
  "use strict";
  var charts = [];
  var palette = ["#2f6feb", "#e36209", "#1b7f3b", "#8250df", "#c62828", "#0a7ea4", "#b26a00", "#6e7781"];

  function drawCharts() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      data.datasets.forEach(function (set, i) { set.backgroundColor = palette[i % palette.length]; });
      charts.push(new Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: data.datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: function (v) { return "$" + v; } } } },
          plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": $" + ctx.parsed.y.toFixed(4); } } } }
        }
      }));
    });
  }

  // Picking a date means a custom range: switch the range select before htmx reads the form
  // (capture phase runs before htmx's own change listener on the form).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-custom-range]")) return;
    var select = input.form && input.form.querySelector("select[name=range]");
    if (select) select.value = "custom";
  }, true);

  document.addEventListener("DOMContentLoaded", drawCharts);
  document.addEventListener("htmx:afterSettle", drawCharts);
  // Back/forward restores a snapshot of the page: a canvas comes back blank, so redraw.
  document.addEventListener("htmx:historyRestore", drawCharts);
})();
