// The finance reports' charts, drawn with ECharts from a spec the page declares (the CSP allows no inline script):
// <div data-report-chart="<json_script id>"> with {kind: "bar"|"stack", unit, horizontal, categories: [..],
//   series: [{name, type: "bar"|"line", stack, data: ["1234.56", ..]}]}
// Amounts come as decimal strings (the server never goes through float); ECharts needs numbers only to draw.
(function () {
  const COLORS = ["#206bc4", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8"];
  const AGING = ["#2fb344", "#f59f00", "#f76707", "#d63939", "#862e9c"];  // not due → over 90 days

  function grouped(value) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function short(value) {  // axis labels: 1.2M, 350K
    const n = Math.abs(value);
    if (n >= 1e6) return (value / 1e6).toFixed(n >= 1e7 ? 0 : 1) + "M";
    if (n >= 1e3) return (value / 1e3).toFixed(0) + "K";
    return String(value);
  }

  function draw(el, spec) {
    if (!el || !window.echarts) return;
    const narrow = el.clientWidth < 560;
    const horizontal = !!spec.horizontal;
    const colors = spec.kind === "stack" ? AGING : COLORS;
    const categories = spec.categories || [];
    const valueAxis = { type: "value", axisLabel: { formatter: short, fontSize: 11 }, splitLine: { lineStyle: { color: "#eef1f4" } } };
    const categoryAxis = {
      type: "category", data: categories, axisTick: { show: false },
      axisLabel: horizontal
        ? { width: narrow ? 90 : 180, overflow: "truncate", fontSize: 11 }
        : { interval: narrow ? "auto" : 0, rotate: narrow || categories.length > 8 ? 35 : 0, width: 110, overflow: "truncate", fontSize: 11, hideOverlap: true },
    };
    if (horizontal) categoryAxis.inverse = true;  // the largest first, at the top
    const series = spec.series.map((s, i) => ({
      name: s.name, type: s.type, stack: s.stack, data: s.data.map(Number),
      itemStyle: { color: colors[i % colors.length] }, barMaxWidth: 36,
      ...(s.type === "line" ? { smooth: false, symbolSize: 7, lineStyle: { width: 3 }, z: 5 } : {}),
    }));
    const chart = echarts.getInstanceByDom(el) || echarts.init(el);
    chart.setOption({
      animation: false,
      color: colors,
      grid: { left: 8, right: 16, top: narrow ? 56 : 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll", textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        valueFormatter: (value) => `${spec.unit || ""} ${grouped(value)}`,
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series,
    }, true);
    if (!el.dataset.observed) {
      el.dataset.observed = "1";
      new ResizeObserver(() => chart.resize()).observe(el);
    }
  }

  function drawDeclared(root) {
    (root || document).querySelectorAll("[data-report-chart]").forEach((el) => {
      const source = document.getElementById(el.dataset.reportChart);
      if (source) draw(el, JSON.parse(source.textContent));
    });
  }
  // htmx fires htmx:load on the body once it starts and on every fragment it swaps in.
  document.addEventListener("htmx:load", (event) => drawDeclared(event.detail.elt));
  window.gendanReportChart = draw;
})();
