// Progressive enhancement for /datashare/quality/:id — the page already shows the same figures as a table.
(function () {
  var data = document.getElementById('quality-data');
  var box = document.getElementById('quality-chart');
  if (!data || !box || typeof window.echarts === 'undefined') return;
  var runs;
  try { runs = JSON.parse(data.textContent || '[]'); } catch (e) { return; }
  if (!runs.length) return;
  // Labels of at least 14 px (ECharts draws 12 px), larger in large-text mode: 7/8 of the page's text size (16 -> 14,
  // 21 -> 18), through a theme so every axis, legend, tooltip and pie label follows.
  var fontSize = Math.max(14, Math.round(parseFloat(window.getComputedStyle(document.body).fontSize) * 0.875) || 14);
  var THEME = {
    textStyle: { fontSize: fontSize }, categoryAxis: { axisLabel: { fontSize: fontSize } }, valueAxis: { axisLabel: { fontSize: fontSize } },
    legend: { textStyle: { fontSize: fontSize } }, tooltip: { textStyle: { fontSize: fontSize } }, pie: { label: { fontSize: fontSize } }
  };
  box.style.height = '320px';
  box.hidden = false;
  var chart = window.echarts.init(box, THEME, { renderer: 'svg' });
  var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  chart.setOption({
    animation: !reduce,
    // the page's label (figures in the table below), not ECharts' generated description, which would replace it
    aria: { enabled: true, label: { description: box.getAttribute('aria-label') || undefined } },
    tooltip: { trigger: 'axis' },
    // ECharts 6 puts the legend at the bottom by default, on top of the dates under the x axis: legend above the
    // plot, with the grid's top leaving it room (the y axes' top labels, 100% and the findings maximum, sit below it).
    legend: { data: [box.dataset.validLabel, box.dataset.findingsLabel], top: 4, left: 'center' },
    grid: { top: 48, left: 48, right: 48, bottom: 40 },
    xAxis: { type: 'category', data: runs.map(function (r) { return r.at; }) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', min: 0, minInterval: 1 }
    ],
    series: [
      { name: box.dataset.validLabel, type: 'line', data: runs.map(function (r) { return r.validPct; }), yAxisIndex: 0, symbolSize: 8 },
      { name: box.dataset.findingsLabel, type: 'bar', data: runs.map(function (r) { return r.findings; }), yAxisIndex: 1, barMaxWidth: 24 }
    ]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
