// Progressive enhancement for /opinion — every figure is also in the tables on the page.
(function () {
  var el = document.getElementById('opinion-data');
  if (!el || typeof window.echarts === 'undefined') return;
  var d;
  try { d = JSON.parse(el.textContent || '{}'); } catch (e) { return; }
  var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  function make(id, option) {
    var box = document.getElementById(id);
    if (!box) return;
    box.hidden = false;
    box.style.height = '300px';
    var chart = window.echarts.init(box, null, { renderer: 'svg' });
    option.animation = !reduce;
    option.aria = { enabled: true };
    chart.setOption(option);
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var L = d.labels || {};
  if (d.volume && d.volume.length) {
    make('chart-volume', {
      tooltip: { trigger: 'axis' }, legend: { data: [L.total, L.negative, L.positive] }, grid: { left: 40, right: 16, bottom: 40 },
      xAxis: { type: 'category', data: d.volume.map(function (v) { return v.day; }) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: L.total, type: 'bar', data: d.volume.map(function (v) { return v.n; }), barMaxWidth: 18 },
        { name: L.negative, type: 'line', data: d.volume.map(function (v) { return v.negative; }) },
        { name: L.positive, type: 'line', data: d.volume.map(function (v) { return v.positive; }) }
      ]
    });
  }
  if (d.districts && d.districts.length) {
    var ds = d.districts.slice(0, 15).reverse();
    make('chart-districts', {
      tooltip: { trigger: 'axis' }, legend: { data: [L.total, L.negative] }, grid: { left: 72, right: 16, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: ds.map(function (x) { return x.key || L.unknown; }) },
      series: [
        { name: L.total, type: 'bar', data: ds.map(function (x) { return x.n; }) },
        { name: L.negative, type: 'bar', data: ds.map(function (x) { return x.negative; }) }
      ]
    });
  }
  if (d.sources && d.sources.length) {
    make('chart-sources', {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: d.sources.map(function (s) { return { name: s.key, value: s.n }; }) }]
    });
  }
  if (d.issues && d.issues.length) {
    var is = d.issues.slice(0, 10).reverse();
    make('chart-issues', {
      tooltip: { trigger: 'axis' }, grid: { left: 160, right: 16, bottom: 30 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: is.map(function (x) { return x.label; }), axisLabel: { width: 150, overflow: 'truncate' } },
      series: [{ name: L.heat, type: 'bar', data: is.map(function (x) { return x.heat; }) }]
    });
  }
})();
