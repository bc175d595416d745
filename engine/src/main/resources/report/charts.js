// Draws the evidence report's charts as inline SVG from the JSON embedded in the page. No network, no library.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("drill-report").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  var W = 860, H = 240, L = 56, R = 16, T = 26, B = 30;
  var drawn = 0;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function text(parent, x, y, s, cls) {
    var t = el("text", {x: x, y: y, "class": cls || "lbl"}, parent);
    t.textContent = s;
    return t;
  }
  function svgIn(holder, title) {
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, width: W, height: H, "class": "chart", role: "img"});
    text(svg, L, 16, title, "ttl");
    holder.appendChild(svg);
    return svg;
  }
  function empty(svg, why) {
    text(svg, W / 2 - 60, H / 2, why, "lbl");
    svg.setAttribute("data-empty", "true");
  }
  function nice(max) {
    if (!(max > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(max))), m = max / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function clock(ms) { return new Date(ms).toISOString().substring(11, 19); }

  // A time-series chart: series = [{name, points: [[t, v], …]}]; markers = phases and commands.
  function timeChart(holder, title, unit, series, opts) {
    var svg = svgIn(holder, title);
    var all = [];
    series.forEach(function (s) { s.points.forEach(function (p) { all.push(p); }); });
    if (all.length === 0) { empty(svg, "no data in this drill"); return svg; }
    var t0 = Math.min.apply(null, all.map(function (p) { return p[0]; }));
    var t1 = Math.max.apply(null, all.map(function (p) { return p[0]; }));
    (data.phases || []).forEach(function (p) { var t = Date.parse(p.ts); t0 = Math.min(t0, t); t1 = Math.max(t1, t); });
    if (t1 === t0) { t1 = t0 + 1000; }
    var vmax = nice(Math.max.apply(null, all.map(function (p) { return p[1]; })) * 1.05);
    var x = function (t) { return L + (t - t0) / (t1 - t0) * (W - L - R); };
    var y = function (v) { return H - B - v / vmax * (H - T - B); };
    for (var i = 0; i <= 4; i++) {
      var v = vmax * i / 4;
      el("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), "class": "grid"}, svg);
      text(svg, 4, y(v) + 4, (Math.round(v * 100) / 100) + (i === 4 ? " " + unit : ""));
    }
    for (var j = 0; j <= 5; j++) {
      var t = t0 + (t1 - t0) * j / 5;
      text(svg, x(t) - 24, H - 8, clock(t));
    }
    (data.phases || []).forEach(function (p) {
      var px = x(Date.parse(p.ts));
      el("line", {x1: px, x2: px, y1: T, y2: H - B, "class": "phase"}, svg);
      var lbl = text(svg, px + 2, T + 10, p.to, "phase-lbl");
      lbl.setAttribute("transform", "rotate(0)");
    });
    (data.commands || []).forEach(function (c) {
      var cx = x(Date.parse(c.ts));
      var tri = el("path", {d: "M" + (cx - 4) + "," + (T - 2) + " L" + (cx + 4) + "," + (T - 2) + " L" + cx + "," + (T + 5) + " Z",
        "class": "cmd"}, svg);
      el("title", {}, tri).textContent = "#" + c.seq + " " + c.type + " (" + c.reason.rule + ")";
    });
    series.forEach(function (s, i) {
      if (s.points.length === 0) { return; }
      var pts = s.points.map(function (p) { return x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1); }).join(" ");
      el("polyline", {points: pts, fill: "none", stroke: s.color || COLORS[i % COLORS.length], "stroke-width": 1.6,
        "stroke-dasharray": s.dash || "", "class": "series"}, svg);
      var lx = L + 10 + i * 150, ly = H - B + 0;
      if (series.length > 1) {
        el("rect", {x: W - R - 160, y: T + 4 + i * 14, width: 10, height: 3, fill: s.color || COLORS[i % COLORS.length]}, svg);
        text(svg, W - R - 146, T + 9 + i * 14, s.name);
      }
    });
    svg.setAttribute("data-series", series.length);
    drawn++;
    return svg;
  }

  // A grouped bar chart: groups = labels; bars = [{name, values[]}].
  function barChart(holder, title, labels, bars) {
    var svg = svgIn(holder, title);
    var max = 0;
    bars.forEach(function (b) { b.values.forEach(function (v) { max = Math.max(max, v); }); });
    if (max === 0) { empty(svg, "no data in this drill"); return svg; }
    var vmax = nice(max * 1.05);
    var slot = (W - L - R) / labels.length, bw = Math.max(1, slot / (bars.length + 1));
    for (var i = 0; i <= 4; i++) {
      var yy = H - B - i / 4 * (H - T - B);
      el("line", {x1: L, x2: W - R, y1: yy, y2: yy, "class": "grid"}, svg);
      text(svg, 4, yy + 4, String(Math.round(vmax * i / 4 * 100) / 100));
    }
    labels.forEach(function (lab, k) {
      if (labels.length <= 12 || k % 4 === 0) { text(svg, L + k * slot, H - 8, lab); }
      bars.forEach(function (b, j) {
        var v = b.values[k], h = v / vmax * (H - T - B);
        var r = el("rect", {x: L + k * slot + j * bw, y: H - B - h, width: bw, height: h, fill: COLORS[j % COLORS.length],
          "class": "bar"}, svg);
        el("title", {}, r).textContent = b.name + " " + lab + ": " + v;
      });
    });
    bars.forEach(function (b, j) {
      el("rect", {x: W - R - 160, y: T + 4 + j * 14, width: 10, height: 8, fill: COLORS[j % COLORS.length]}, svg);
      text(svg, W - R - 146, T + 12 + j * 14, b.name);
    });
    svg.setAttribute("data-series", bars.length);
    drawn++;
    return svg;
  }

  var s = data.series;
  var lat = document.getElementById("latency");
  Object.keys(s.latency_ms).forEach(function (region) {
    var pts = s.latency_ms[region];
    timeChart(lat, "latency " + region + " (successful requests, per event-time second)", "ms", [
      {name: "p75", points: pts.map(function (p) { return [p[0], p[1]]; }), color: "#9ecae1"},
      {name: "p95", points: pts.map(function (p) { return [p[0], p[2]]; }), color: "#1f77b4"},
      {name: "p99", points: pts.map(function (p) { return [p[0], p[3]]; }), color: "#08306b", dash: "4 2"}]);
  });
  if (Object.keys(s.latency_ms).length === 0) { timeChart(lat, "latency", "ms", []); }

  var err = document.getElementById("errors");
  Object.keys(s.requests).forEach(function (region) {
    var rows = s.requests[region], classes = {};
    rows.forEach(function (r) { Object.keys(r).forEach(function (k) { if (k !== "t" && k !== "total" && k !== "ok") { classes[k] = 1; } }); });
    var names = Object.keys(classes).sort();
    var series = names.map(function (c) {
      return {name: c, points: rows.map(function (r) { return [r.t, (r[c] || 0) / r.total]; })};
    });
    if (series.length === 0) {
      series = [{name: "all errors", points: rows.map(function (r) { return [r.t, 0]; })}];
    }
    timeChart(err, "error rate by class " + region + " (fraction of requests)", "", series);
  });
  if (Object.keys(s.requests).length === 0) { timeChart(err, "error rate", "", []); }

  var bl = document.getElementById("backlog");
  var queues = Object.keys(s.backlog);
  timeChart(bl, "backlog length", "items", queues.map(function (q) {
    return {name: q, points: s.backlog[q].map(function (p) { return [p[0], p[1]]; })};
  }));
  timeChart(bl, "backlog oldest age", "ms", queues.map(function (q) {
    return {name: q, points: s.backlog[q].map(function (p) { return [p[0], p[2]]; })};
  }));

  var rag = document.getElementById("rag");
  var w = s.rag.delta_s_bin_width, labels = s.rag.delta_s_hist_pre.map(function (_, i) { return (i * w).toFixed(2); });
  barChart(rag, "ΔS histogram, before vs after evacuation (risk line " + (data.plan.acceptance.delta_s_max) + ")", labels,
    [{name: "pre", values: s.rag.delta_s_hist_pre}, {name: "post", values: s.rag.delta_s_hist_post}]);
  var lam = s.rag.lambda, states = ["convergent", "divergent", "recursive", "chaotic"];
  barChart(rag, "λ distribution per region, before and after evacuation", states,
    Object.keys(lam).map(function (k) { return {name: k, values: states.map(function (st) { return lam[k][st] || 0; })}; }));

  document.body.setAttribute("data-charts-drawn", String(drawn));
})();
