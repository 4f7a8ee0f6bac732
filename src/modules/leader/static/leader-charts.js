// Progressive enhancement for /leader: every figure drawn here is also in the tables on the page.
(function () {
  var el = document.getElementById('leader-data');
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
  function bars(id, rows, name, key) {
    var box = document.getElementById(id);
    if (!box || !rows || !rows.length) return;
    var rs = rows.slice().reverse();
    box.hidden = false;
    var labelWidth = box.clientWidth ? Math.min(160, Math.round(box.clientWidth * 0.4)) : 160;
    box.style.height = Math.max(160, 50 + rs.length * 28) + 'px';
    var chart = window.echarts.init(box, THEME, { renderer: 'svg' });
    chart.setOption({
      // the page's label (figures in the table), not ECharts' generated description, which would replace it
      animation: !reduce, aria: { enabled: true, label: { description: box.getAttribute('aria-label') || undefined } }, tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      // Labels take at most 40% of the width (cut with …), so the bars and their axis keep room in large text on a phone.
      yAxis: { type: 'category', data: rs.map(function (r) { return r.label; }), axisLabel: { interval: 0, width: labelWidth, overflow: 'truncate' } },
      series: [{ name: name, type: 'bar', data: rs.map(function (r) { return r[key]; }), barMaxWidth: 18 }]
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var L = d.labels || {};
  bars('chart-categories', d.categories, L.messages, 'n');
  bars('chart-issues', d.issues, L.heat, 'heat');
})();
