/* kreplay report.html: renders the embedded report.json (the contract in README "Reading the report").
 * Every field beyond kperf's is optional: a section without its data says so instead of failing.
 * Text from the report (URLs, error keys, phase names) only reaches the page through textContent or
 * echarts.format.encodeHTML, never as markup. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kreplay-data').textContent);
  var enc = echarts.format.encodeHTML;
  var PALETTE = ['#2f6fd0', '#e8743b', '#19a979', '#945ecf', '#ed4a7b', '#13a4b4', '#6c8893', '#d0a017'];
  var ERRORS = ['#c0392b', '#e67e22', '#8e44ad', '#f1c40f', '#795548', '#e84393', '#7f8c8d', '#16a085'];
  var OUTCOME = { ok: '#4a90d9', failed: '#d9534f', skipped: '#b0b7c3' };
  var charts = [];
  var failures = 0;

  var phases = Array.isArray(data.perSpecResults) ? data.perSpecResults.filter(isObj) : [];
  var all = isObj(data.aggregated) ? data.aggregated : null;

  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function phaseName(r, i) { return typeof r.phase === 'string' && r.phase ? r.phase : 'phase ' + (i + 1); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  /** [[p, seconds], ...] -> value at p (fraction), or null. */
  function pct(list, p) {
    if (!Array.isArray(list)) return null;
    for (var i = 0; i < list.length; i++) {
      var e = list[i];
      if (Array.isArray(e) && Math.abs(e[0] - p) < 1e-9) return num(e[1]);
    }
    return null;
  }
  function ms(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    var v = seconds * 1000;
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    if (v >= 100) return v.toFixed(0) + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }
  function msAxis(v) { return v >= 1000 ? (v / 1000) + ' s' : v + ' ms'; }
  function int(v) { return v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'); }
  function rate(v) { return v === null || v === undefined ? '–' : (v >= 100 ? v.toFixed(0) : v.toFixed(1)); }
  function percent(part, whole) { return whole > 0 ? (100 * part / whole) : null; }
  function clock(s) {
    s = Math.round(s);
    var m = Math.floor(s / 60), r = s % 60;
    return m + ':' + (r < 10 ? '0' : '') + r;
  }
  function setMissing(id, why) {
    var box = document.getElementById(id);
    box.className = 'missing';
    box.textContent = why;
  }
  /** Runs one section; a section that throws shows its error and leaves the others standing. */
  function section(id, render) {
    try {
      render();
    } catch (e) {
      failures++;
      var s = document.getElementById(id);
      s.appendChild(el('p', 'missing failed-render', 'Could not draw this section: ' + e));
      if (window.console) console.error(e);
    }
  }
  function chart(id, option) {
    var box = document.getElementById(id);
    var c = echarts.init(box, null, { renderer: 'canvas' });
    option.animation = false;
    option.color = option.color || PALETTE;
    option.textStyle = { fontFamily: '-apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif' };
    c.setOption(option);
    charts.push(c);
    box.setAttribute('data-rendered', 'true');
    return c;
  }

  // ---- phases on the time axis -------------------------------------------------------------
  var timed = phases.filter(function (r) { return num(r.startSeconds) !== null && num(r.endSeconds) !== null; });
  function phaseBands() {
    return timed.map(function (r, i) {
      return [{ name: phaseName(r, phases.indexOf(r)), xAxis: r.startSeconds,
                itemStyle: { color: i % 2 ? 'rgba(47,111,208,0.07)' : 'rgba(120,130,150,0.05)' } },
              { xAxis: r.endSeconds }];
    });
  }
  function bandSeries() {
    return {
      type: 'line', name: '_phases', data: [], silent: true, tooltip: { show: false },
      markArea: { silent: true, label: { position: 'insideTop', color: '#44506a', fontWeight: 600 }, data: phaseBands() },
      markLine: { silent: true, symbol: 'none', label: { show: false },
                  lineStyle: { color: '#8190a5', type: 'dashed', width: 1 },
                  data: timed.slice(1).map(function (r) { return { xAxis: r.startSeconds }; }) }
    };
  }

  /** The run's windows: the aggregated timeline, else every phase's windows together. */
  function timeline() {
    var tl = all && isObj(all.timeline) ? all.timeline : null;
    var windows = tl && Array.isArray(tl.windows) ? tl.windows.filter(isObj) : [];
    var size = tl ? num(tl.windowSeconds) : null;
    if (!windows.length) {
      phases.forEach(function (r) {
        if (isObj(r.timeline) && Array.isArray(r.timeline.windows)) {
          size = size || num(r.timeline.windowSeconds);
          windows = windows.concat(r.timeline.windows.filter(isObj));
        }
      });
    }
    windows = windows.filter(function (w) { return num(w.startSeconds) !== null; })
      .sort(function (a, b) { return a.startSeconds - b.startSeconds; });
    return windows.length ? { size: size || 10, windows: windows } : null;
  }
  var tl = timeline();

  function timeAxis() {
    var max = 0;
    timed.forEach(function (r) { max = Math.max(max, r.endSeconds); });
    if (tl) tl.windows.forEach(function (w) { max = Math.max(max, w.startSeconds + tl.size); });
    // Ticks on clock-friendly steps (0:30, 1:00, 5:00 ...), about ten across.
    var steps = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800], step = null;
    for (var i = 0; i < steps.length && max; i++) { if (max / steps[i] <= 12) { step = steps[i]; break; } }
    return { type: 'value', name: 'time since start', nameLocation: 'middle', nameGap: 28, min: 0, max: max || null,
             interval: step || undefined, axisLabel: { formatter: clock }, splitLine: { show: false } };
  }
  function timeTooltip(unit) {
    return {
      trigger: 'axis', axisPointer: { type: 'line' },
      formatter: function (items) {
        if (!items.length) return '';
        var t = items[0].value[0] - tl.size / 2;
        var lines = ['<b>' + clock(t) + '–' + clock(t + tl.size) + '</b>'];
        items.forEach(function (it) {
          if (it.seriesName.charAt(0) === '_' || it.value[1] === null) return;
          lines.push(it.marker + enc(it.seriesName) + ': <b>' + unit(it.value[1]) + '</b>');
        });
        return lines.join('<br>');
      }
    };
  }

  // ---- header and overview -----------------------------------------------------------------
  section('overview', function () {
    var run = isObj(data.run) ? data.run : {};
    var info = document.getElementById('run-info');
    [['started', run.startedAt], ['target', run.target], ['speed', num(run.speed) !== null ? run.speed + '×' : null],
     ['shards', run.shards], ['phases', phases.length || null], ['kreplay', run.kreplayVersion]]
      .forEach(function (kv) {
        if (kv[1] === undefined || kv[1] === null || kv[1] === '') return;
        var d = el('div');
        d.appendChild(el('dt', null, kv[0]));
        d.appendChild(el('dd', null, kv[1]));
        info.appendChild(d);
      });
    if (typeof run.target === 'string') document.title = 'kreplay report: ' + run.target;
    var r = all || phases[0];
    if (!r) { setMissing('overview', 'This report has no results.'); return; }
    var total = num(r.total) || 0, failed = num(r.totalFailed) || 0, skipped = num(r.skipped) || 0;
    var ok = (num(r.totalRun) || 0) - failed;
    var box = document.getElementById('overview');
    function card(label, value, sub, state) {
      var c = el('div', 'card' + (state ? ' ' + state : ''));
      c.appendChild(el('div', 'label', label));
      c.appendChild(el('div', 'value', value));
      if (sub) c.appendChild(el('div', 'sub', sub));
      box.appendChild(c);
    }
    var errPct = percent(failed, total);
    card('requests', int(total), r.duration ? 'over ' + r.duration : null);
    card('ok', int(ok), total ? (100 * ok / total).toFixed(2) + '%' : null);
    card('failed', int(failed), errPct !== null ? errPct.toFixed(2) + '%' : null,
         errPct > 1 ? 'bad' : failed > 0 ? 'warn' : null);
    card('skipped', int(skipped), skipped ? 'never sent' : null, skipped > 0 ? 'warn' : null);
    var thr = num(r.throughput), planned = num(r.intendedRate);
    card('achieved rate', rate(thr) + ' req/s', planned !== null ? 'planned ' + rate(planned) + ' req/s' : null,
         planned && thr !== null && thr < 0.95 * planned ? 'warn' : null);
    var lat = r.correctedLatencies ? r.correctedLatencies : r.percentileLatencies;
    var which = r.correctedLatencies ? 'corrected' : 'service';
    card('p99 latency', ms(pct(lat, 0.99)), which + ', p50 ' + ms(pct(lat, 0.5)));
    card('p99.9 latency', ms(pct(lat, 0.999)), which + ', max ' + ms(pct(lat, 1)));
  });

  // ---- summary table -----------------------------------------------------------------------
  section('phases', function () {
    var rows = phases.map(function (r, i) { return { name: phaseName(r, i), r: r, all: false }; });
    if (all) rows.push({ name: phases.length ? 'all' : (all.phase || 'all'), r: all, all: true });
    if (!rows.length) { setMissing('phase-table', 'No results.'); return; }
    var table = document.getElementById('phase-table');
    var head1 = el('tr'), head2 = el('tr');
    function th(row, text, cls, span) {
      var h = el('th', cls, text);
      if (span) h.colSpan = span;
      row.appendChild(h);
    }
    th(head1, '', null, 1); th(head1, 'requests', 'group', 5); th(head1, 'rate (req/s)', 'group', 2);
    th(head1, 'corrected latency', 'group', 3); th(head1, 'service time', 'group', 3);
    th(head1, 'lag', 'group', 1); th(head1, 'shards', 'group', 1);
    ['phase', 'time', 'total', 'ok', 'failed', 'skipped', 'planned', 'achieved', 'p50', 'p99', 'p99.9',
     'p50', 'p99', 'p99.9', 'p99', 'imbalance'].forEach(function (t, i) {
      th(head2, t, i === 0 || i === 1 ? 'l' : ([2, 6, 8, 11, 14, 15].indexOf(i) >= 0 ? 'sep' : null));
    });
    var thead = el('thead'); thead.appendChild(head1); thead.appendChild(head2); table.appendChild(thead);
    var tbody = el('tbody');
    rows.forEach(function (row) {
      var r = row.r, tr = el('tr', row.all ? 'all' : null);
      function td(text, cls) { tr.appendChild(el('td', cls, text)); }
      var total = num(r.total) || 0, failed = num(r.totalFailed) || 0, skipped = num(r.skipped);
      var ok = num(r.totalRun) !== null ? r.totalRun - failed : null;
      var range = num(r.startSeconds) !== null && num(r.endSeconds) !== null
        ? clock(r.startSeconds) + '–' + clock(r.endSeconds) : (r.duration || '');
      td(row.name, 'l'); td(range, 'l');
      td(int(total), 'sep'); td(int(ok));
      var fp = percent(failed, total);
      td(int(failed) + (fp ? ' (' + fp.toFixed(1) + '%)' : ''), fp > 1 ? 'bad' : failed > 0 ? 'warn' : null);
      td(int(skipped), skipped > 0 ? 'warn' : null);
      var planned = num(r.intendedRate), thr = num(r.throughput);
      td(rate(planned), 'sep');
      td(rate(thr), planned && thr !== null && thr < 0.95 * planned ? 'warn' : null);
      var c = r.correctedLatencies, s = r.servicePercentiles || r.percentileLatencies;
      td(ms(pct(c, 0.5)), 'sep'); td(ms(pct(c, 0.99))); td(ms(pct(c, 0.999)));
      td(ms(pct(s, 0.5)), 'sep'); td(ms(pct(s, 0.99))); td(ms(pct(s, 0.999)));
      td(ms(pct(r.lagPercentiles, 0.99)), 'sep');
      var part = isObj(r.partition) ? r.partition : null;
      var imb = part ? num(part.imbalance) : null;
      td(imb === null ? '–' : (100 * imb).toFixed(1) + '%', 'sep' + (imb > 0.2 ? ' warn' : ''));
      if (part && Array.isArray(part.perShard)) {
        tr.lastChild.title = int(part.shards) + ' shards: ' + part.perShard.map(int).join(' / ') + ' requests';
      }
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
  });

  // ---- latency and throughput over time ----------------------------------------------------
  section('latency-over-time', function () {
    if (!tl) { setMissing('chart-latency', 'This report has no timeline (written by a kreplay without one).'); return; }
    var half = tl.size / 2;
    function line(key) {
      return tl.windows.map(function (w) {
        var v = num(w[key]);
        return [w.startSeconds + half, v !== null && v > 0 ? v * 1000 : null];
      });
    }
    chart('chart-latency', {
      grid: { left: 70, right: 30, top: 40, bottom: 50 },
      legend: { top: 0, data: ['p50', 'p99'] },
      tooltip: timeTooltip(function (v) { return ms(v / 1000); }),
      xAxis: timeAxis(),
      yAxis: { type: 'log', name: 'corrected latency (log)', nameGap: 12, axisLabel: { formatter: msAxis } },
      series: [
        { name: 'p50', type: 'line', showSymbol: false, data: line('p50'), lineStyle: { width: 2 }, color: '#2f6fd0' },
        { name: 'p99', type: 'line', showSymbol: false, data: line('p99'), lineStyle: { width: 2 }, color: '#e8743b' },
        bandSeries()
      ]
    });
  });

  section('throughput-over-time', function () {
    if (!tl) { setMissing('chart-throughput', 'This report has no timeline (written by a kreplay without one).'); return; }
    var half = tl.size / 2;
    function bars(key) {
      return tl.windows.map(function (w) { return [w.startSeconds + half, (num(w[key]) || 0) / tl.size]; });
    }
    var series = ['ok', 'failed', 'skipped'].map(function (k) {
      return { name: k, type: 'bar', stack: 'outcome', barCategoryGap: '8%', barWidth: '90%',
               data: bars(k), color: OUTCOME[k] };
    });
    // The planned rate as a step line: each phase's intendedRate over its range.
    var planned = [];
    timed.forEach(function (r) {
      if (num(r.intendedRate) === null) return;
      planned.push([r.startSeconds, r.intendedRate], [r.endSeconds, r.intendedRate]);
    });
    if (planned.length) {
      series.push({ name: 'planned', type: 'line', data: planned, showSymbol: false, color: '#1f2430',
                    lineStyle: { type: 'dashed', width: 2 } });
    }
    series.push(bandSeries());
    // A bar on a value axis needs an explicit width: one window in pixels is not known up front.
    var names = ['ok', 'failed', 'skipped'].concat(planned.length ? ['planned'] : []);
    var c = chart('chart-throughput', {
      grid: { left: 70, right: 30, top: 40, bottom: 50 },
      legend: { top: 0, data: names },
      tooltip: timeTooltip(function (v) { return rate(v) + ' req/s'; }),
      xAxis: timeAxis(),
      yAxis: { type: 'value', name: 'requests/s', nameGap: 12,
               max: function (v) { return Math.ceil(v.max * 1.12); } },
      series: series
    });
    var resizeBars = function () {
      var x0 = c.convertToPixel({ xAxisIndex: 0 }, 0), x1 = c.convertToPixel({ xAxisIndex: 0 }, tl.size);
      var w = Math.max(1, Math.floor((x1 - x0) * 0.9));
      c.setOption({ series: ['ok', 'failed', 'skipped'].map(function (k) { return { name: k, barWidth: w }; }) });
    };
    resizeBars();
    window.addEventListener('resize', resizeBars);
  });

  // ---- percentile distribution ------------------------------------------------------------
  /** HdrHistogram's plot axis: x = 1 / (1 - percentile), log scale. 100% (the max) has no place on it; the tables show it. */
  function ninesX(percentile) { return 1 / (1 - percentile / 100); }
  function distribution(r, kind) {
    var d = isObj(r.latencyDistribution) && Array.isArray(r.latencyDistribution[kind]) ? r.latencyDistribution[kind] : null;
    var pts = [];
    if (d) {
      d.forEach(function (e) { if (Array.isArray(e) && num(e[0]) !== null && num(e[1]) !== null) pts.push([e[0], e[1]]); });
    } else {
      // Older reports: only the summary percentiles (fractions).
      var list = kind === 'corrected' ? r.correctedLatencies : (r.servicePercentiles || r.percentileLatencies);
      if (Array.isArray(list)) list.forEach(function (e) {
        if (Array.isArray(e) && num(e[0]) !== null && num(e[1]) !== null) pts.push([e[0] * 100, e[1]]);
      });
    }
    return pts.filter(function (p) { return p[0] < 100 && p[1] > 0; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .map(function (p) { return [ninesX(p[0]), p[1] * 1000, p[0]]; });
  }
  section('percentile-distribution', function () {
    var rows = phases.length ? phases.map(function (r, i) { return { name: phaseName(r, i), r: r }; })
                             : (all ? [{ name: 'all', r: all }] : []);
    var series = [];
    rows.forEach(function (row, i) {
      var color = PALETTE[i % PALETTE.length];
      var c = distribution(row.r, 'corrected'), s = distribution(row.r, 'service');
      if (c.length) series.push({ name: row.name, type: 'line', data: c, showSymbol: false, color: color,
                                  lineStyle: { width: 2 }, kind: 'corrected' });
      if (s.length) series.push({ name: row.name + ' (service)', type: 'line', data: s, showSymbol: false,
                                  color: color, lineStyle: { width: 1.5, type: 'dashed' }, kind: 'service' });
    });
    if (!series.length) { setMissing('chart-percentiles', 'This report has no latency percentiles.'); return; }
    chart('chart-percentiles', {
      grid: { left: 70, right: 30, top: 50, bottom: 50 },
      legend: { top: 0, type: 'scroll' },
      tooltip: {
        trigger: 'item',
        formatter: function (it) {
          return it.marker + enc(it.seriesName) + '<br>p' + +it.value[2].toFixed(4) +
                 ': <b>' + ms(it.value[1] / 1000) + '</b>';
        }
      },
      xAxis: { type: 'log', min: 1, name: 'percentile', nameLocation: 'middle', nameGap: 28,
               axisLabel: { formatter: function (v) {
                 if (v <= 1) return '0%';
                 var p = 100 * (1 - 1 / v);
                 return +p.toFixed(6) + '%';
               } },
               splitLine: { show: true, lineStyle: { color: '#eceff4' } } },
      yAxis: { type: 'log', name: 'latency (log)', nameGap: 12, axisLabel: { formatter: msAxis } },
      series: series.map(function (s) { s.symbolSize = 4; s.showSymbol = false; s.emphasis = { focus: 'series' }; return s; })
    });
  });

  // ---- errors -----------------------------------------------------------------------------
  section('errors', function () {
    var rows = phases.length ? phases.map(function (r, i) { return { name: phaseName(r, i), r: r }; })
                             : (all ? [{ name: 'all', r: all }] : []);
    var totals = {};
    rows.forEach(function (row) {
      var e = isObj(row.r.errorStats) ? row.r.errorStats : {};
      Object.keys(e).forEach(function (k) { if (num(e[k])) totals[k] = (totals[k] || 0) + e[k]; });
    });
    var types = Object.keys(totals).sort(function (a, b) { return totals[a] - totals[b]; });
    if (!types.length) {
      setMissing('chart-errors', 'No errors: every request that was sent succeeded.');
      document.getElementById('chart-errors-over-time').style.display = 'none';
      return;
    }
    document.getElementById('chart-errors').style.height = Math.max(180, 80 + 34 * types.length) + 'px';
    chart('chart-errors', {
      title: { text: 'by type and phase', textStyle: { fontSize: 13, fontWeight: 'normal' }, left: 0, top: 0 },
      grid: { left: 10, right: 40, top: 50, bottom: 30, containLabel: true },
      legend: { top: 0, right: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (items) {
        var lines = ['<b>' + enc(items[0].name) + '</b>'];
        items.forEach(function (it) { if (it.value) lines.push(it.marker + enc(it.seriesName) + ': ' + int(it.value)); });
        return lines.join('<br>');
      } },
      xAxis: { type: 'value', name: 'failed requests', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'category', data: types, axisLabel: { fontFamily: 'monospace' } },
      series: rows.map(function (row) {
        var e = isObj(row.r.errorStats) ? row.r.errorStats : {};
        return { name: row.name, type: 'bar', stack: 'phase', barMaxWidth: 36, data: types.map(function (t) { return num(e[t]) || 0; }) };
      })
    });
    if (!tl || !tl.windows.some(function (w) { return isObj(w.errors); })) {
      document.getElementById('chart-errors-over-time').style.display = 'none';
      return;
    }
    var half = tl.size / 2;
    var byTime = types.slice().reverse().map(function (t, i) {
      return { name: t, type: 'bar', stack: 'errors', barWidth: 6, color: ERRORS[i % ERRORS.length],
               data: tl.windows.map(function (w) {
                 return [w.startSeconds + half, isObj(w.errors) ? (num(w.errors[t]) || 0) : 0];
               }) };
    });
    byTime.push(bandSeries());
    var c = chart('chart-errors-over-time', {
      title: { text: 'over time (per window)', textStyle: { fontSize: 13, fontWeight: 'normal' }, left: 0, top: 0 },
      grid: { left: 70, right: 30, top: 50, bottom: 50 },
      legend: { top: 0, right: 0, data: types.slice().reverse() },
      tooltip: timeTooltip(int),
      xAxis: timeAxis(),
      yAxis: { type: 'value', name: 'errors', nameGap: 12, minInterval: 1 },
      series: byTime
    });
    var w = Math.max(1, Math.floor((c.convertToPixel({ xAxisIndex: 0 }, tl.size) - c.convertToPixel({ xAxisIndex: 0 }, 0)) * 0.9));
    c.setOption({ series: types.map(function (t) { return { name: t, barWidth: w }; }) });
  });

  // ---- slowest URLs -----------------------------------------------------------------------
  /** A result's URL rows: byUrl (corrected) when present, else kperf's percentileLatenciesByURL (service). */
  function urlRows(r) {
    if (Array.isArray(r.byUrl)) {
      return { corrected: true, rows: r.byUrl.filter(isObj).map(function (u) {
        return { url: String(u.url), count: num(u.count), failed: num(u.failed), p50: num(u.p50), p99: num(u.p99), max: num(u.max) };
      }) };
    }
    var m = isObj(r.percentileLatenciesByURL) ? r.percentileLatenciesByURL : {};
    var rows = Object.keys(m).map(function (u) {
      return { url: u, count: null, failed: null, p50: pct(m[u], 0.5), p99: pct(m[u], 0.99), max: pct(m[u], 1) };
    });
    rows.sort(function (a, b) { return (b.p99 || 0) - (a.p99 || 0); });
    return { corrected: false, rows: rows };
  }
  section('urls', function () {
    var choices = [];
    if (all) choices.push({ name: 'all phases', r: all });
    phases.forEach(function (r, i) { choices.push({ name: phaseName(r, i), r: r }); });
    var select = document.getElementById('url-phase');
    choices.forEach(function (c, i) { var o = el('option', null, c.name); o.value = String(i); select.appendChild(o); });
    var box = document.getElementById('chart-urls');
    var urlChart = null;
    function render() {
      var choice = choices[+select.value || 0];
      var u = choice ? urlRows(choice.r) : { rows: [] };
      var table = document.getElementById('url-table');
      table.textContent = '';
      if (!u.rows.length) {
        if (urlChart) { urlChart.dispose(); charts.splice(charts.indexOf(urlChart), 1); urlChart = null; }
        box.className = 'missing';
        box.style.height = 'auto';
        box.textContent = 'No per-URL latencies for ' + (choice ? choice.name : 'this report') + '.';
        return;
      }
      box.className = 'chart tall';
      var top = u.rows.slice(0, 15).reverse();
      box.style.height = Math.max(220, 90 + 30 * top.length) + 'px';
      if (!urlChart) { box.textContent = ''; urlChart = chart('chart-urls', {}); }
      urlChart.resize();
      var label = u.corrected ? 'corrected' : 'service time';
      document.getElementById('url-basis').textContent = u.corrected ? 'Sorted by corrected p99'
        : 'Sorted by service-time p99 (kperf\'s percentileLatenciesByURL; this report has no byUrl)';
      urlChart.setOption({
        grid: { left: 10, right: 40, top: 40, bottom: 40, containLabel: true },
        legend: { top: 0, data: ['p50', 'p99', 'max'] },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: function (items) {
          var lines = ['<b>' + enc(top[items[0].dataIndex].url) + '</b>'];
          items.forEach(function (it) { lines.push(it.marker + it.seriesName + ' (' + label + '): ' + ms(it.value / 1000)); });
          return lines.join('<br>');
        } },
        xAxis: { type: 'log', name: label + ' (log)', nameLocation: 'middle', nameGap: 26, axisLabel: { formatter: msAxis } },
        yAxis: { type: 'category', data: top.map(function (r) { return r.url.length > 70 ? r.url.slice(0, 67) + '…' : r.url; }),
                 axisLabel: { fontFamily: 'monospace', fontSize: 11 } },
        series: [['p50', '#2f6fd0'], ['p99', '#e8743b'], ['max', '#b0b7c3']].map(function (s) {
          return { name: s[0], type: 'bar', color: s[1], barGap: '10%',
                   data: top.map(function (r) { return r[s[0]] ? r[s[0]] * 1000 : null; }) };
        })
      }, true);
      var head = el('tr');
      ['URL pattern', 'requests', 'failed', 'p50', 'p99', 'max'].forEach(function (t, i) { head.appendChild(el('th', i ? null : 'l', t)); });
      var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
      var tbody = el('tbody');
      u.rows.forEach(function (r) {
        var tr = el('tr');
        tr.appendChild(el('td', 'url', r.url));
        tr.appendChild(el('td', null, int(r.count)));
        tr.appendChild(el('td', r.failed ? 'warn' : null, int(r.failed)));
        tr.appendChild(el('td', null, ms(r.p50)));
        tr.appendChild(el('td', null, ms(r.p99)));
        tr.appendChild(el('td', null, ms(r.max)));
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
    }
    if (!choices.length) { setMissing('chart-urls', 'No per-URL latencies in this report.'); return; }
    select.addEventListener('change', render);
    render();
  });

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-failures', String(failures));
  document.body.setAttribute('data-rendered', 'true');
})();
