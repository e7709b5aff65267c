// Draws each [data-chart] element from the JSON block its attribute names: { x, series: [{label, values}], kind, time }.
// The JSON is rendered by the server; nothing here fetches or evaluates anything else.
(function () {
  "use strict";
  var colors = ["#2b6cb0", "#a0aec0", "#dd6b20", "#2f855a"];

  function bars(index) {
    return uPlot.paths.bars({ size: [0.8 / 2, 40], align: index === 0 ? -1 : 1 });
  }

  function draw(element) {
    var block = document.getElementById(element.getAttribute("data-chart"));
    if (!block) { return; }
    var spec = JSON.parse(block.textContent);
    var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    var series = [{ label: spec.time ? "" : "#" }].concat(spec.series.map(function (s, i) {
      var line = { label: s.label, stroke: colors[i % colors.length], width: 2, spanGaps: false };
      if (spec.kind === "bars") {
        line.fill = colors[i % colors.length];
        line.paths = spec.series.length > 1 ? bars(i) : uPlot.paths.bars({ size: [0.7, 40] });
        line.points = { show: false };
      }
      return line;
    }));
    var width = Math.max(280, element.clientWidth - 16);
    var plot = new uPlot({
      width: width,
      height: 240,
      scales: { x: { time: !!spec.time }, y: spec.kind === "bars" ? { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } } : {} },
      // Times are the site's local time (the server's zone id), not the browser's.
      tzDate: spec.tz ? function (ts) { return uPlot.tzDate(new Date(ts * 1e3), spec.tz); } : undefined,
      series: series,
      axes: [{}, { size: 60 }],
    }, data, element);
    element.setAttribute("data-drawn", String(spec.series.reduce(function (n, s) { return n + s.values.filter(function (v) { return v !== null; }).length; }, 0)));
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(280, element.clientWidth - 16), height: 240 }); });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
