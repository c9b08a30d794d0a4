/* dbwire console: hand-written, no third-party code. Every view renders from one snapshot (GET api/snapshot, or
 * the JSON embedded in a report). Text from the wire is only ever set as text, never as HTML. */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var POLL_MS = 2000;
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var state = { data: null, view: 'overview', server: null, range: 'hour', fetchedAt: 0, error: null,
    filters: { server: '', client: '', user: '', detection: '', severity: '' } };

  // ---- DOM helpers ---------------------------------------------------------------------------------------
  function h(tag, attrs) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function s(tag, attrs) {
    var el = document.createElementNS(SVG, tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) el.setAttribute(k, attrs[k]);
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (var k in attrs) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'onclick' || k === 'onchange' || k === 'oninput') el[k] = v;
      else if (k === 'class') el.className = v;
      else if (k === 'style') el.style.cssText = v; // CSSOM, which the console's CSP allows (a style attribute is not)
      else el.setAttribute(k, v);
    }
  }
  function append(el, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(el, x); }); return; }
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  // ---- formatting ----------------------------------------------------------------------------------------
  function num(n) {
    if (n === null || n === undefined) return '–';
    var a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    return String(Math.round(n * 100) / 100);
  }
  function rate(n) { return n === 0 ? '0' : n < 0.01 ? '<0.01' : num(n); }
  function bytes(n) {
    if (n === null || n === undefined) return '–';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
  }
  function micros(us) {
    if (us === null || us === undefined || us < 0) return '–';
    if (us < 1000) return us + ' µs';
    if (us < 1e6) return (us / 1000).toFixed(us < 1e4 ? 2 : 1) + ' ms';
    return (us / 1e6).toFixed(2) + ' s';
  }
  function time(us) {
    if (!us) return '–';
    return new Date(us / 1000).toISOString().replace('T', ' ').slice(0, 19);
  }
  function ago(us, nowUs) {
    if (!us) return '–';
    var s = Math.max(0, (nowUs - us) / 1e6);
    if (s < 60) return Math.round(s) + ' s';
    if (s < 3600) return Math.round(s / 60) + ' min';
    if (s < 86400) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' d';
  }
  function pct(x) { return Math.round(x * 1000) / 10 + ' %'; }

  // ---- charts --------------------------------------------------------------------------------------------
  function sparkline(values, color, w, hgt) {
    w = w || 100; hgt = hgt || 24;
    var vals = values.map(function (v) { return v < 0 ? 0 : v; });
    var max = Math.max.apply(null, vals.concat([1]));
    var step = vals.length > 1 ? w / (vals.length - 1) : w;
    var pts = vals.map(function (v, i) { return (i * step).toFixed(1) + ',' + (hgt - 2 - (v / max) * (hgt - 4)).toFixed(1); });
    return s('svg', { class: 'spark', width: w, height: hgt, viewBox: '0 0 ' + w + ' ' + hgt, role: 'img' },
      s('polyline', { points: pts.join(' '), fill: 'none', stroke: color || '#2457c5', 'stroke-width': 1.5 }));
  }

  /** A bar (or line) chart of one series with a time axis. */
  function chart(series, key, opts) {
    var W = 460, H = 170, L = 56, R = 22, T = 10, B = 22;
    var vals = series[key].map(function (v) { return v < 0 ? null : v; });
    var max = Math.max.apply(null, vals.map(function (v) { return v || 0; }).concat([opts.min || 1]));
    var n = vals.length, bw = (W - L - R) / n;
    var g = s('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opts.title });
    [0, 0.5, 1].forEach(function (f) {
      var y = T + (H - T - B) * (1 - f);
      g.appendChild(s('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'axis' }));
      g.appendChild(s('text', { x: L - 6, y: y + 3, 'text-anchor': 'end' }, opts.fmt(max * f)));
    });
    if (opts.line) {
      var d = '', pen = false;
      vals.forEach(function (v, i) {
        if (v === null) { pen = false; return; }
        var x = L + i * bw + bw / 2, y = T + (H - T - B) * (1 - v / max);
        d += (pen ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1) + ' ';
        pen = true;
      });
      g.appendChild(s('path', { d: d, fill: 'none', stroke: opts.color, 'stroke-width': 2 }));
      vals.forEach(function (v, i) {
        if (v === null) return;
        g.appendChild(s('circle', { cx: L + i * bw + bw / 2, cy: T + (H - T - B) * (1 - v / max), r: 2, fill: opts.color }));
      });
    } else {
      vals.forEach(function (v, i) {
        if (!v) return;
        var bh = (H - T - B) * v / max;
        g.appendChild(s('rect', { x: L + i * bw + 0.5, y: T + (H - T - B) - bh, width: Math.max(1, bw - 1), height: bh, fill: opts.color },
          s('title', {}, time(series.start_us + i * series.period_s * 1e6) + '  ' + opts.fmt(v))));
      });
    }
    var ticks = 4;
    for (var t = 0; t <= ticks; t++) {
      var idx = Math.min(n - 1, Math.round(t * (n - 1) / ticks));
      var label = time(series.start_us + idx * series.period_s * 1e6).slice(11, 16);
      g.appendChild(s('text', { x: L + idx * bw + bw / 2, y: H - 6, 'text-anchor': 'middle' }, label));
    }
    return h('div', {}, h('h2', {}, opts.title), g);
  }

  function shareBar(share) {
    return h('span', { title: 'clear ' + pct(share.clear) + ', TLS ' + pct(share.tls) + ', decrypted ' + pct(share.decrypted) },
      h('span', { class: 'share' },
        h('span', { style: 'width:' + share.clear * 100 + '%;background:var(--clear)' }),
        h('span', { style: 'width:' + share.tls * 100 + '%;background:var(--tls)' }),
        h('span', { style: 'width:' + share.decrypted * 100 + '%;background:var(--decrypted)' })));
  }
  function shareLegend() {
    return h('span', { class: 'legend' }, 'traffic:', h('i', { style: 'background:var(--clear)' }), 'clear',
      h('i', { style: 'background:var(--tls)' }), 'TLS', h('i', { style: 'background:var(--decrypted)' }), 'decrypted');
  }
  function sev(name) { return h('span', { class: 'sev sev-' + name }, name); }
  function tile(k, v, bad) { return h('div', { class: 'tile' }, h('div', { class: 'k' }, k), h('div', { class: 'v' + (bad ? ' bad' : '') }, v)); }
  function table(headers, rows, empty) {
    if (!rows.length) return h('div', { class: 'empty' }, empty || 'Nothing seen yet.');
    return h('table', {}, h('thead', {}, h('tr', {}, headers.map(function (x) {
      var num = x.charAt(0) === '#';
      return h('th', { class: num ? 'num' : '' }, num ? x.slice(1) : x);
    }))), h('tbody', {}, rows));
  }
  function td(v, cls) { return h('td', { class: cls || '' }, v); }
  function tdn(v) { return h('td', { class: 'num' }, v); }
  function rangeSwitch() {
    return h('span', { class: 'seg' }, ['hour', 'day'].map(function (r) {
      return h('button', { class: state.range === r ? 'on' : '', onclick: function () { state.range = r; render(); } },
        r === 'hour' ? 'Last hour' : 'Last day');
    }));
  }

  // ---- views ---------------------------------------------------------------------------------------------
  function overview(d) {
    var servers = d.servers, sum = { conn: 0, st: 0, sps: 0, eps: 0, bi: 0, bo: 0 };
    servers.forEach(function (x) {
      var t = x.traffic; sum.conn += t.connections; sum.st += t.statements; sum.sps += t.statements_per_s;
      sum.eps += t.errors_per_s; sum.bi += t.bytes_in; sum.bo += t.bytes_out;
    });
    var serious = (d.alert_counts.by_severity.high || 0) + (d.alert_counts.by_severity.critical || 0);
    var out = [
      h('h1', {}, 'Overview'),
      h('p', { class: 'sub' }, 'Per mirror source and per database server, as seen on the wire. ', shareLegend()),
      h('div', { class: 'tiles' }, tile('Servers', servers.length), tile('Connections', num(sum.conn)),
        tile('Statements', num(sum.st)), tile('Statements/s', rate(sum.sps)), tile('Errors/s', rate(sum.eps), sum.eps > 0),
        tile('Bytes in / out', bytes(sum.bi) + ' / ' + bytes(sum.bo)), tile('Alerts (high+)', d.alert_counts.total + ' (' + serious + ')', serious > 0)),
      h('div', { class: 'controls' }, rangeSwitch())
    ];
    out.push(h('div', { class: 'panel', id: 'servers-table' }, h('h2', {}, 'Database servers'),
      table(['Server', 'Protocol', '#Conns', '#Statements', '#Stmt/s', '#p50', '#p95', '#p99', '#Errors/s', '#In', '#Out', 'Traffic', 'Statements (' + state.range + ')', 'p95 (' + state.range + ')'],
        servers.map(function (x) {
          var t = x.traffic, ser = t[state.range];
          return h('tr', { 'data-server': x.id },
            td(h('a', { href: '#server/' + encodeURIComponent(x.id) }, x.id)), td(x.protocol),
            tdn(num(t.connections)), tdn(num(t.statements)), tdn(rate(t.statements_per_s)),
            tdn(micros(t.latency_us.p50)), tdn(micros(t.latency_us.p95)), tdn(micros(t.latency_us.p99)),
            tdn(rate(t.errors_per_s)), tdn(bytes(t.bytes_in)), tdn(bytes(t.bytes_out)), td(shareBar(t.share)),
            td(sparkline(ser.statements, '#2457c5')), td(sparkline(ser.p95_us, '#d4542a')));
        }), 'No database traffic seen yet.')));
    out.push(h('div', { class: 'panel', id: 'sources-table' }, h('h2', {}, 'Mirror sources'),
      table(['Source (VNI)', '#Conns', '#Statements', '#Stmt/s', '#p50', '#p95', '#p99', '#Errors/s', '#In', '#Out', 'Traffic', 'Statements (' + state.range + ')', '#Silent for'],
        d.sources.map(function (x) {
          var t = x.traffic;
          return h('tr', {}, td(x.vni < 0 ? 'not tunnelled' : 'VNI ' + x.vni), tdn(num(t.connections)), tdn(num(t.statements)),
            tdn(rate(t.statements_per_s)), tdn(micros(t.latency_us.p50)), tdn(micros(t.latency_us.p95)), tdn(micros(t.latency_us.p99)),
            tdn(rate(t.errors_per_s)), tdn(bytes(t.bytes_in)), tdn(bytes(t.bytes_out)), td(shareBar(t.share)),
            td(sparkline(t[state.range].statements, '#2457c5')), tdn(ago(t.last_seen_us, d.now_us)));
        }), 'No mirror source seen yet.')));
    return out;
  }

  function serverView(d) {
    if (!d.servers.length) return [h('h1', {}, 'Servers'), h('div', { class: 'panel empty' }, 'No database traffic seen yet.')];
    var x = d.servers.filter(function (v) { return v.id === state.server; })[0] || d.servers[0];
    state.server = x.id;
    var t = x.traffic, ser = t[state.range];
    var picker = h('select', { id: 'server-picker', onchange: function (e) { location.hash = '#server/' + encodeURIComponent(e.target.value); } },
      d.servers.map(function (v) { return h('option', { value: v.id, selected: v.id === x.id ? 'selected' : null }, v.id + ' (' + v.protocol + ')'); }));
    function activity(rows, label) {
      return table([label, 'First seen', 'Last seen', '#Statements', '#Errors', '#Failed logins', '#Bytes'],
        rows.map(function (a) {
          return h('tr', {}, td(a.name, 'mono'), td(time(a.first_seen_us)), td(time(a.last_seen_us)), tdn(num(a.statements)),
            tdn(num(a.errors)), tdn(num(a.login_failures)), tdn(bytes(a.bytes)));
        }));
    }
    return [
      h('h1', { id: 'server-title' }, x.id),
      h('p', { class: 'sub' }, x.protocol + (x.vni >= 0 ? ' · mirror source VNI ' + x.vni : '') + ' · first seen ' + time(t.first_seen_us) +
        ' · last seen ' + time(t.last_seen_us) + ' · ', shareLegend(), ' ', shareBar(t.share)),
      h('div', { class: 'controls' }, h('label', {}, 'Server', picker), rangeSwitch()),
      h('div', { class: 'tiles' }, tile('Connections', num(t.connections)), tile('Statements', num(t.statements)),
        tile('Statements/s', rate(t.statements_per_s)), tile('p50 / p95 / p99', micros(t.latency_us.p50) + ' / ' + micros(t.latency_us.p95) + ' / ' + micros(t.latency_us.p99)),
        tile('Errors', num(t.errors), t.errors > 0), tile('Failed logins', num(t.login_failures), t.login_failures > 0),
        tile('Bytes in / out', bytes(t.bytes_in) + ' / ' + bytes(t.bytes_out)), tile('TLS sessions', num(t.tls_sessions))),
      h('div', { class: 'grid3' },
        h('div', { class: 'panel' }, chart(ser, 'statements', { title: 'Statements per ' + (state.range === 'hour' ? 'minute' : '15 minutes'), color: '#2457c5', fmt: num })),
        h('div', { class: 'panel' }, chart(ser, 'p95_us', { title: 'p95 latency', color: '#d4542a', fmt: micros, line: true })),
        h('div', { class: 'panel' }, chart(ser, 'errors', { title: 'Errors', color: '#a3123a', fmt: num }))),
      h('div', { class: 'panel', id: 'fingerprints' }, h('h2', {}, 'Top statements by total time (' + x.fingerprint_count + ' fingerprints tracked)'),
        table(['Fingerprint', 'Op', 'Statement', '#Calls', '#Total', '#Mean', '#p95', '#Rows', '#Errors'],
          x.fingerprints.map(function (f) {
            return h('tr', {}, td(f.fingerprint, 'mono'), td(f.operation), td(f.text === null ? '(text off)' : f.text, 'sql'),
              tdn(num(f.count)), tdn(micros(f.total_us)), tdn(micros(f.mean_us)), tdn(micros(f.p95_us)), tdn(num(f.rows)), tdn(num(f.errors)));
          }), 'No statements seen.')),
      h('div', { class: 'grid2' },
        h('div', { class: 'panel', id: 'users' }, h('h2', {}, 'Users'), activity(x.users, 'User')),
        h('div', { class: 'panel', id: 'applications' }, h('h2', {}, 'Applications'), activity(x.applications, 'Application'))),
      h('div', { class: 'panel', id: 'clients' }, h('h2', {}, 'Clients (' + x.client_count + ')'), activity(x.clients, 'Client'))
    ];
  }

  function alertMatches(a) {
    var f = state.filters;
    var server = a.server ? a.server.ip + ':' + a.server.port : '';
    return (!f.server || server === f.server) && (!f.detection || a.detection === f.detection) &&
      (!f.severity || a.severity === f.severity) &&
      (!f.client || ((a.client && a.client.ip) || '').indexOf(f.client) >= 0) &&
      (!f.user || (a.user || '').indexOf(f.user) >= 0);
  }

  function alertControls(d) {
    var servers = {}, detections = {};
    d.alerts.forEach(function (a) { if (a.server) servers[a.server.ip + ':' + a.server.port] = 1; detections[a.detection] = 1; });
    function sel(key, label, values) {
      return h('label', {}, label, h('select', { id: 'filter-' + key, onchange: function (e) { state.filters[key] = e.target.value; renderContent(); } },
        h('option', { value: '' }, 'all'), values.map(function (v) { return h('option', { value: v, selected: state.filters[key] === v ? 'selected' : null }, v); })));
    }
    function txt(key, label) {
      return h('label', {}, label, h('input', { id: 'filter-' + key, value: state.filters[key], placeholder: 'contains…',
        oninput: function (e) { state.filters[key] = e.target.value; renderContent(); } }));
    }
    return h('div', { class: 'controls panel' }, sel('server', 'Server', Object.keys(servers).sort()), txt('client', 'Client'),
      txt('user', 'User'), sel('detection', 'Detection', Object.keys(detections).sort()), sel('severity', 'Severity', SEVERITIES));
  }

  function timeline(alerts, d) {
    var W = 1100, H = 40 + 22 * 5, L = 90, R = 20, T = 10, B = 24;
    var g = s('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'alert timeline', id: 'alert-timeline' });
    var ts = alerts.map(function (a) { return Date.parse(a.ts) * 1000; });
    var hi = ts.length ? Math.max.apply(null, ts) : d.now_us, lo = ts.length ? Math.min.apply(null, ts) : hi - 3600e6;
    if (hi - lo < 60e6) { lo -= 30e6; hi += 30e6; }
    SEVERITIES.forEach(function (sv, i) {
      var y = T + 11 + i * 22;
      g.appendChild(s('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'axis' }));
      g.appendChild(s('text', { x: L - 8, y: y + 3, 'text-anchor': 'end' }, sv));
    });
    alerts.forEach(function (a, i) {
      var x = L + (W - L - R) * (ts[i] - lo) / (hi - lo), y = T + 11 + SEVERITIES.indexOf(a.severity) * 22;
      g.appendChild(s('circle', { cx: x.toFixed(1), cy: y, r: 6, fill: 'var(--' + a.severity + ')', 'fill-opacity': 0.8 },
        s('title', {}, a.ts + ' ' + a.detection + ': ' + a.summary)));
    });
    for (var t = 0; t <= 4; t++) {
      var at = lo + (hi - lo) * t / 4;
      g.appendChild(s('text', { x: L + (W - L - R) * t / 4, y: H - 6, 'text-anchor': 'middle' }, time(at).slice(5)));
    }
    return g;
  }

  function kv(obj) {
    var keys = Object.keys(obj || {});
    if (!keys.length) return h('div', { class: 'muted' }, '–');
    return h('table', { class: 'kv' }, keys.map(function (k) {
      var v = obj[k];
      return h('tr', {}, h('td', { class: 'muted' }, k), h('td', { class: 'mono' }, typeof v === 'object' ? JSON.stringify(v) : String(v)));
    }));
  }

  function alertCard(a) {
    return h('div', { class: 'alert sev-b-' + a.severity, 'data-detection': a.detection },
      h('div', { class: 'head' }, sev(a.severity), h('span', { class: 'det' }, a.detection), h('span', { class: 'pill' }, 'score ' + a.score),
        a.mitre ? h('span', { class: 'pill' }, a.mitre) : null, h('span', { class: 'muted' }, a.ts.replace('T', ' ').replace('Z', '').slice(0, 19)),
        a.folded ? h('span', { class: 'pill' }, '+' + a.folded + ' folded') : null),
      h('div', { class: 'summary' }, a.summary),
      h('div', { class: 'muted' }, 'client ', h('span', { class: 'mono' }, (a.client && a.client.ip) || '–'), ' → server ',
        h('span', { class: 'mono' }, a.server ? a.server.ip + ':' + a.server.port : '–'), ' · user ', h('span', { class: 'mono' }, a.user || '–'),
        ' · database ', h('span', { class: 'mono' }, a.database || '–')),
      h('div', { class: 'cmp' }, h('div', {}, h('h3', {}, 'Observed'), kv(a.observed)), h('div', {}, h('h3', {}, 'Baseline'), kv(a.baseline)),
        h('div', {}, h('h3', {}, 'Evidence'), a.evidence && a.evidence.length
          ? h('ul', { class: 'evidence' }, a.evidence.map(function (e) { return h('li', {}, e); })) : h('div', { class: 'muted' }, '–'))));
  }

  function alertsView(d) {
    var shown = d.alerts.filter(alertMatches);
    var bySev = d.alert_counts.by_severity;
    return [
      h('div', { class: 'tiles' }, tile('Alerts', d.alert_counts.total), SEVERITIES.map(function (sv) { return tile(sv, bySev[sv] || 0, (sv === 'high' || sv === 'critical') && bySev[sv]); })),
      h('div', { class: 'panel' }, h('h2', {}, 'Timeline (' + shown.length + ' of ' + d.alerts.length + ' kept)'), timeline(shown, d)),
      h('div', { id: 'alert-list' }, shown.length ? shown.map(alertCard) : h('div', { class: 'panel empty' }, d.alerts.length ? 'No alert matches the filters.' : 'No alerts.'))
    ];
  }

  function healthView(d) {
    var x = d.health, drops = x.drops || {}, queues = x.queues || {}, b = d.bounds;
    var problems = Object.keys(x.problems);
    var dropRows = Object.keys(drops).map(function (k) { return h('tr', {}, td(k, 'mono'), tdn(num(drops[k]))); });
    problems.forEach(function (k) { dropRows.push(h('tr', {}, td(k, 'mono'), tdn(num(x.problems[k])))); });
    var gaps = x.counters['tcp.gap_events'] || 0, gapBytes = x.counters['tcp.gap_bytes'] || 0;
    var incomplete = d.servers.reduce(function (a, v) { return a + v.traffic.incomplete; }, 0);
    return [
      h('h1', {}, 'Sensor health'),
      h('p', { class: 'sub' }, d.mode === 'live' ? 'The numbers of /metrics, read live.' : 'The replay\'s summary for this capture.'),
      h('div', { class: 'tiles' }, tile('Status', x.status, x.status === 'failing'),
        x.uptime_s !== undefined ? tile('Uptime', ago(d.now_us - x.uptime_s * 1e6, d.now_us)) : tile('Files', x.files),
        tile('Packets', num(x.packets)), x.datagrams !== undefined ? tile('Datagrams', num(x.datagrams)) : null, tile('Bytes', bytes(x.bytes)),
        tile('Flows', num(x.flows)), tile('Records', num(x.records)), tile('Alerts', num(x.alerts)),
        tile('TCP gaps', num(gaps) + (gapBytes ? ' (' + bytes(gapBytes) + ')' : ''), gaps > 0), tile('Incomplete statements', num(incomplete), incomplete > 0)),
      h('div', { class: 'grid2' },
        h('div', { class: 'panel', id: 'drops' }, h('h2', {}, 'Drops and problems by reason'),
          table(['Reason', '#Count'], dropRows, 'No drops, no problems.')),
        h('div', {},
          h('div', { class: 'panel', id: 'source-silence' }, h('h2', {}, 'Mirror sources: last record and silence'),
            table(['Source', 'Last record', '#Silent for', '#Records'], d.sources.map(function (v) {
              return h('tr', {}, td(v.vni < 0 ? 'not tunnelled' : 'VNI ' + v.vni), td(time(v.traffic.last_seen_us)),
                tdn(ago(v.traffic.last_seen_us, d.now_us)), tdn(num(v.traffic.statements + v.traffic.logins + v.traffic.tls_sessions)));
            }), 'No source seen yet.')),
          h('div', { class: 'panel' }, h('h2', {}, 'Queues and console bounds'),
            table(['Item', '#Value'], Object.keys(queues).map(function (k) { return h('tr', {}, td(k + ' queue depth'), tdn(num(queues[k]))); })
              .concat(Object.keys(b).map(function (k) { return h('tr', {}, td(k.replace(/_/g, ' ')), tdn(num(b[k]))); })))))),
      h('div', { class: 'panel', id: 'counters' }, h('h2', {}, 'Every engine counter (layer.reason)'),
        table(['Counter', '#Value'], Object.keys(x.counters).map(function (k) { return h('tr', {}, td(k, 'mono'), tdn(num(x.counters[k]))); })))
    ];
  }

  // ---- routing, rendering, polling -----------------------------------------------------------------------
  var VIEWS = { overview: overview, server: serverView, alerts: alertsView, health: healthView };

  function route() {
    var hash = location.hash.replace(/^#/, '');
    var parts = hash.split('/');
    state.view = VIEWS[parts[0]] ? parts[0] : 'overview';
    if (state.view === 'server' && parts[1]) state.server = decodeURIComponent(parts[1]);
    var controls = document.getElementById('controls');
    clear(controls);
    if (state.view === 'alerts' && state.data) {
      append(controls, [h('h1', {}, 'Alerts'), alertControls(state.data)]);
    }
    document.querySelectorAll('#nav a').forEach(function (a) {
      a.className = a.getAttribute('data-view') === state.view ? 'active' : '';
    });
    render();
  }

  function renderContent() {
    var content = document.getElementById('content');
    clear(content);
    append(content, VIEWS[state.view](state.data));
  }

  /** The servers and detections the alert filters offer; the filter bar is rebuilt when they change. */
  function alertChoices(d) {
    return d.alerts.map(function (a) { return a.detection + '|' + (a.server ? a.server.ip + ':' + a.server.port : ''); })
      .filter(function (v, i, all) { return all.indexOf(v) === i; }).sort().join(',');
  }

  function render() {
    if (!state.data) return;
    if (state.view === 'alerts') {
      var choices = alertChoices(state.data);
      var typing = document.activeElement && document.getElementById('controls').contains(document.activeElement);
      if (!document.getElementById('filter-server') || (choices !== state.alertChoices && !typing)) {
        state.alertChoices = choices;
        route();
        return;
      }
    }
    renderContent();
    renderStatus();
  }

  function renderStatus() {
    var st = document.getElementById('status');
    clear(st);
    var d = state.data;
    if (d.mode === 'report') {
      append(st, ['report · ', d.title, ' · ', time(d.first_us), ' – ', time(d.now_us), ' UTC']);
      return;
    }
    var stale = state.error || Date.now() - state.fetchedAt > 3 * POLL_MS;
    append(st, [h('span', { class: 'dot' + (stale ? ' stale' : '') }), stale ? 'not updating' + (state.error ? ' (' + state.error + ')' : '') : 'live',
      ' · ', time(d.now_us), ' UTC']);
  }

  function poll() {
    fetch('api/snapshot', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (d) {
      var first = !state.data;
      state.data = d; state.fetchedAt = Date.now(); state.error = null;
      if (first) route(); else render();
    }).catch(function (e) {
      state.error = e.message;
      if (state.data) renderStatus();
    });
  }

  window.addEventListener('hashchange', route);
  var embedded = document.getElementById('dbwire-data');
  if (embedded) {
    state.data = JSON.parse(embedded.textContent);
    route();
  } else {
    poll();
    setInterval(poll, POLL_MS);
  }
})();
