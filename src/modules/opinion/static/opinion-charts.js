// Progressive enhancement for /opinion — every figure is also in the tables on the page.
(function () {
  var el = document.getElementById('opinion-data');
  if (!el || typeof window.echarts === 'undefined') return;
  var d;
  try { d = JSON.parse(el.textContent || '{}'); } catch (e) { return; }
  var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // Labels of at least 14 px (ECharts draws 12 px), larger in large-text mode: 7/8 of the page's text size (16 -> 14,
  // 21 -> 18), through a theme so every axis, legend, tooltip and pie label follows.
  var fontSize = Math.max(14, Math.round(parseFloat(window.getComputedStyle(document.body).fontSize) * 0.875) || 14);
  var THEME = {
    textStyle: { fontSize: fontSize }, categoryAxis: { axisLabel: { fontSize: fontSize } }, valueAxis: { axisLabel: { fontSize: fontSize } },
    legend: { textStyle: { fontSize: fontSize } }, tooltip: { textStyle: { fontSize: fontSize } }, pie: { label: { fontSize: fontSize } }
  };
  function make(id, option, height) {
    var box = document.getElementById(id);
    if (!box) return;
    box.hidden = false;
    box.style.height = (height || 300) + 'px';
    var chart = window.echarts.init(box, THEME, { renderer: 'svg' });
    option.animation = !reduce;
    // ECharts' own description (这是一个图表…第0个系列…, Chinese on English pages too) would replace the page's label,
    // which says where the figures are: keep the page's.
    option.aria = { enabled: true, label: { description: box.getAttribute('aria-label') || undefined } };
    chart.setOption(option);
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var L = d.labels || {};
  // Legends above the plot: ECharts 6 puts them at the bottom by default, over the axis labels.
  var TOP = { top: 0 };
  // One bar per row, every label shown: the chart grows with the number of rows.
  function rowsHeight(n) { return Math.max(160, 60 + n * 24); }
  if (d.volume && d.volume.length) {
    // Every day of the period, days without items as 0 (the category axis would otherwise close up the gaps).
    var byDay = {};
    d.volume.forEach(function (v) { byDay[v.day] = v; });
    var days = [];
    var t = Date.parse(d.volume[0].day + 'T00:00:00Z');
    var end = Date.parse(d.volume[d.volume.length - 1].day + 'T00:00:00Z');
    for (; t <= end && days.length < 4000; t += 86400000) days.push(new Date(t).toISOString().slice(0, 10));
    var at = function (k) { return days.map(function (day) { return byDay[day] ? byDay[day][k] : 0; }); };
    make('chart-volume', {
      tooltip: { trigger: 'axis' }, legend: { top: 0, data: [L.total, L.negative, L.positive] }, grid: { left: 40, right: 16, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: L.total, type: 'bar', data: at('n'), barMaxWidth: 18 },
        { name: L.negative, type: 'line', data: at('negative') },
        { name: L.positive, type: 'line', data: at('positive') }
      ]
    });
  }
  if (d.districts && d.districts.length) {
    var ds = d.districts.slice(0, 15).reverse();
    make('chart-districts', {
      tooltip: { trigger: 'axis' }, legend: { top: 0, data: [L.total, L.negative] }, grid: { left: 72, right: 16, top: 36, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: ds.map(function (x) { return x.key || L.unknown; }), axisLabel: { interval: 0 } },
      series: [
        { name: L.total, type: 'bar', data: ds.map(function (x) { return x.n; }) },
        { name: L.negative, type: 'bar', data: ds.map(function (x) { return x.negative; }) }
      ]
    }, rowsHeight(ds.length) + 24);
  }
  if (d.sources && d.sources.length) {
    make('chart-sources', {
      tooltip: { trigger: 'item' }, legend: TOP,
      series: [{ type: 'pie', radius: ['35%', '65%'], data: d.sources.map(function (s) { return { name: s.key, value: s.n }; }) }]
    });
  }
  if (d.issues && d.issues.length) {
    var is = d.issues.slice(0, 10).reverse();
    // On a phone the labels take at most 40% of the width, so the bars stay readable.
    var issuesBox = document.getElementById('chart-issues');
    if (issuesBox) issuesBox.hidden = false; // measured before drawing
    var labelWidth = issuesBox && issuesBox.clientWidth ? Math.min(150, Math.round(issuesBox.clientWidth * 0.4)) : 150;
    make('chart-issues', {
      tooltip: { trigger: 'axis' }, grid: { left: labelWidth + 10, right: 16, top: 16, bottom: 30 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: is.map(function (x) { return x.label; }), axisLabel: { width: labelWidth, overflow: 'truncate', interval: 0 } },
      series: [{ name: L.heat, type: 'bar', data: is.map(function (x) { return x.heat; }) }]
    }, rowsHeight(is.length));
  }
})();
