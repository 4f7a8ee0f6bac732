// Progressive enhancement for /leader: every figure drawn here is also in the tables on the page.
(function () {
  var el = document.getElementById('leader-data');
  if (!el || typeof window.echarts === 'undefined') return;
  var d;
  try { d = JSON.parse(el.textContent || '{}'); } catch (e) { return; }
  var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  function bars(id, rows, name, key) {
    var box = document.getElementById(id);
    if (!box || !rows || !rows.length) return;
    var rs = rows.slice().reverse();
    box.hidden = false;
    box.style.height = Math.max(160, 50 + rs.length * 28) + 'px';
    var chart = window.echarts.init(box, null, { renderer: 'svg' });
    chart.setOption({
      // the page's label (figures in the table), not ECharts' generated description, which would replace it
      animation: !reduce, aria: { enabled: true, label: { description: box.getAttribute('aria-label') || undefined } }, tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rs.map(function (r) { return r.label.length > 10 ? r.label.slice(0, 10) + '…' : r.label; }), axisLabel: { interval: 0 } },
      series: [{ name: name, type: 'bar', data: rs.map(function (r) { return r[key]; }), barMaxWidth: 18 }]
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var L = d.labels || {};
  bars('chart-categories', d.categories, L.messages, 'n');
  bars('chart-issues', d.issues, L.heat, 'heat');
})();
