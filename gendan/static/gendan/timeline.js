// Timelines drawn with ECharts: planned against actual, the today line, the critical path in red.
// gendanTimeline(element, {today, ex_factory, rows: [{name, baseline, due, projected, actual, status, critical}]}, labels)
// gendanOrdersTimeline(element, {today, rows: [{name, url, start, ex_factory, projected, actual, at_risk}]}, labels)
(function () {
  const DAY = 86400000;
  const t = (iso) => (iso ? new Date(iso + "T00:00:00").getTime() : null);
  const COLORS = { planned: "#206bc4", actual: "#2fb344", late: "#d63939", shift: "#adb5bd", muted: "#868e96" };

  function bar(params, api, color, height) {
    const start = api.coord([api.value(1), api.value(0)]);
    const end = api.coord([api.value(2) + DAY, api.value(0)]);
    const h = api.size([0, 1])[1] * height;
    return { type: "rect", shape: { x: start[0], y: start[1] - h / 2, width: Math.max(end[0] - start[0], 3), height: h },
             style: { fill: color, opacity: 0.85 } };
  }

  function markLines(data, labels) {
    const lines = [{ xAxis: t(data.today), label: { formatter: labels.today }, lineStyle: { color: COLORS.late, type: "solid" } }];
    if (data.ex_factory) lines.push({ xAxis: t(data.ex_factory), label: { formatter: labels.exFactory }, lineStyle: { color: COLORS.planned, type: "dashed" } });
    // labels above the plot, where they cover no milestone's name (inside, "today" sat on the first row)
    return { symbol: "none", silent: true, data: lines, label: { position: "end", distance: 4, fontSize: 11 } };
  }

  window.gendanTimeline = function (el, data, labels) {
    if (!el || !window.echarts) return;
    const rows = data.rows.slice().reverse();
    const names = rows.map((r) => r.name);
    const shifts = [], projected = [], planned = [], actual = [];
    rows.forEach((r, i) => {
      if (r.baseline && r.due && r.baseline !== r.due) shifts.push([i, Math.min(t(r.baseline), t(r.due)), Math.max(t(r.baseline), t(r.due))]);
      if (r.status === "open" && r.projected && r.due && r.projected > r.due) projected.push([i, t(r.due), t(r.projected)]);
      if (r.due) planned.push({ value: [t(r.due), i], itemStyle: { color: r.critical ? COLORS.late : COLORS.planned } });
      if (r.actual) actual.push({ value: [t(r.actual), i], itemStyle: { color: r.due && r.actual > r.due ? COLORS.late : COLORS.actual } });
    });
    const chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 48, bottom: 24, containLabel: true },
      legend: { top: 0, data: [labels.planned, labels.actual, labels.projected] },
      tooltip: { trigger: "item", formatter: (p) => `${names[p.value[1] ?? p.value[0]] || ""}<br>${p.seriesName}: ${echarts.format.formatTime("yyyy-MM-dd", p.value[0] > 1e9 ? p.value[0] : p.value[1])}` },
      xAxis: { type: "time", axisLabel: { formatter: "{MM}-{dd}", hideOverlap: true }, splitLine: { show: true, lineStyle: { color: "#eef1f4" } } },
      yAxis: { type: "category", data: names, axisTick: { show: false },
               axisLabel: { interval: 0, fontSize: 11, color: (v, i) => (rows[i].critical ? COLORS.late : "#1d273b"), fontWeight: (v, i) => (rows[i].critical ? "bold" : "normal") } },
      series: [
        { name: "shift", type: "custom", renderItem: (p, api) => bar(p, api, COLORS.shift, 0.25), encode: { x: [1, 2], y: 0 }, data: shifts, silent: true, z: 1 },
        { name: labels.projected, type: "custom", renderItem: (p, api) => bar(p, api, COLORS.late, 0.45), encode: { x: [1, 2], y: 0 }, data: projected, itemStyle: { color: COLORS.late }, z: 2,
          tooltip: { formatter: (p) => `${names[p.value[0]]}<br>${labels.projected}: ${echarts.format.formatTime("yyyy-MM-dd", p.value[2])}` } },
        { name: labels.planned, type: "scatter", symbol: "diamond", symbolSize: 11, data: planned, itemStyle: { color: COLORS.planned }, z: 3, markLine: markLines(data, labels) },
        { name: labels.actual, type: "scatter", symbol: "circle", symbolSize: 10, data: actual, itemStyle: { color: COLORS.actual }, z: 4 },
      ],
    });
    new ResizeObserver(() => chart.resize()).observe(el);
  };

  window.gendanOrdersTimeline = function (el, data, labels) {
    if (!el || !window.echarts) return;
    const rows = data.rows.slice().reverse();
    const names = rows.map((r) => r.name);
    const planned = rows.map((r, i) => [i, t(r.start), t(r.ex_factory)]);
    const slips = [];
    rows.forEach((r, i) => { if (r.projected && r.projected > r.ex_factory) slips.push([i, t(r.ex_factory), t(r.projected)]); });
    const actual = rows.filter((r) => r.actual).map((r) => ({ value: [t(r.actual), rows.indexOf(r)], itemStyle: { color: r.actual > r.ex_factory ? COLORS.late : COLORS.actual } }));
    const chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 48, bottom: 24, containLabel: true },
      legend: { top: 0, data: [labels.planned, labels.projected, labels.actual] },
      tooltip: { trigger: "item" },
      xAxis: { type: "time", axisLabel: { formatter: "{MM}-{dd}", hideOverlap: true }, splitLine: { show: true, lineStyle: { color: "#eef1f4" } } },
      yAxis: { type: "category", data: names, axisTick: { show: false },
               axisLabel: { interval: 0, fontSize: 11, color: (v, i) => (rows[i].at_risk ? COLORS.late : "#1d273b") } },
      series: [
        { name: labels.planned, type: "custom", renderItem: (p, api) => bar(p, api, COLORS.planned, 0.4), encode: { x: [1, 2], y: 0 }, data: planned, itemStyle: { color: COLORS.planned },
          markLine: markLines({ today: data.today }, labels), tooltip: { formatter: (p) => `${names[p.value[0]]}<br>${labels.planned}: ${echarts.format.formatTime("yyyy-MM-dd", p.value[1])} → ${echarts.format.formatTime("yyyy-MM-dd", p.value[2])}` } },
        { name: labels.projected, type: "custom", renderItem: (p, api) => bar(p, api, COLORS.late, 0.4), encode: { x: [1, 2], y: 0 }, data: slips, itemStyle: { color: COLORS.late },
          tooltip: { formatter: (p) => `${names[p.value[0]]}<br>${labels.projected}: ${echarts.format.formatTime("yyyy-MM-dd", p.value[2])}` } },
        { name: labels.actual, type: "scatter", symbolSize: 10, data: actual, itemStyle: { color: COLORS.actual } },
      ],
    });
    chart.on("click", (p) => { const r = rows[p.value[0]] || rows[p.value[1]]; if (r && r.url) window.location = r.url; });
    new ResizeObserver(() => chart.resize()).observe(el);
  };
})();

// Charts declared in the markup, so pages and htmx fragments need no inline script (the CSP allows none):
// <div data-timeline="plan|orders" data-timeline-source="<json_script id>" data-label-planned="…" …>
(function () {
  function labelsOf(el) {
    const labels = {};
    for (const [key, value] of Object.entries(el.dataset)) {
      if (key.startsWith("label")) labels[key[5].toLowerCase() + key.slice(6)] = value;  // labelExFactory → exFactory
    }
    return labels;
  }
  function drawDeclared(root) {
    root.querySelectorAll("[data-timeline]").forEach((el) => {
      const source = document.getElementById(el.dataset.timelineSource);
      const data = source ? JSON.parse(source.textContent) : { rows: [] };
      const draw = el.dataset.timeline === "orders" ? window.gendanOrdersTimeline : window.gendanTimeline;
      draw(el, data, labelsOf(el));
    });
  }
  // htmx fires htmx:load on the body once it starts and on every fragment it swaps in.
  document.addEventListener("htmx:load", (event) => drawDeclared(event.detail.elt));
})();
