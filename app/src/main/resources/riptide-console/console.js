// Riptide ops console: reads the trigger's ops API with a bearer token (kept in this tab's sessionStorage only)
// and lets an operator retrain or roll back. No libraries; everything is drawn from the API's JSON.
'use strict';

const state = { token: null, selected: null, timer: null };
const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#2f7dd1', '#d1552f', '#2fa65a', '#8a4fd1', '#c9a227', '#1aa3a3', '#d12f8a', '#555'];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '-' : String(c)));
  return e;
}

function fmt(x, digits = 3) { return typeof x === 'number' ? x.toFixed(digits) : '-'; }
function when(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-'; }
function versionName(v) { return v === 0 ? 'rule-based' : 'v' + v; }
function role(r) { return r ? el('span', { class: 'role role-' + r }, r.toLowerCase()) : '-'; }

async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json' };
  if (state.token) headers['Authorization'] = 'Bearer ' + state.token;
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method: options.method || 'GET', headers, body: options.body });
  let body = {};
  try { body = await response.json(); } catch (e) { /* empty */ }
  if (!response.ok && !(options.acceptStatus || []).includes(response.status)) {
    const error = new Error(body.error || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return { status: response.status, body };
}

function fill(tableId, rows) {
  const tbody = document.querySelector('#' + tableId + ' tbody');
  tbody.replaceChildren(...rows);
}

function renderPipeline(s) {
  const st = s.stream || {};
  const lag = Object.entries(st.lagByTopic || {}).map(([t, l]) => t + ' ' + l).join(', ');
  const checks = Object.entries((s.services || {}).checks || {})
      .map(([name, c]) => name + ' ' + c.status).join(' · ');
  document.getElementById('pipeline-summary').textContent =
      'stream ' + st.applicationId + ': ' + st.groupState + ', ' + st.members + ' member(s), lag ' + st.totalLag +
      (lag ? ' (' + lag + ')' : '') + ' · predictions seen ' + st.predictionsSeen + ' · ' + checks;
  const alerts = (s.alerts || {}).active || [];
  document.getElementById('alerts').replaceChildren(...alerts.map(a =>
      el('li', { class: 'sev-' + a.severity }, a.kind + ': ' + a.message)));
}

function renderModels(models) {
  fill('models', models.map(m => {
    const serving = Object.entries(m.serving || {}).map(([r, v]) => (r === 'PRODUCTION' ? '' : r.toLowerCase() + ' ') + 'v' + v);
    const job = m.activeJob ? 'job ' + m.activeJob.id + ' ' + m.activeJob.status + ' ' +
        Math.round(m.activeJob.progress * 100) + '%' : '-';
    const open = el('a', { class: 'key', href: '#', 'data-key': m.key }, m.key);
    open.addEventListener('click', ev => { ev.preventDefault(); select(m.key); });
    const retrain = el('button', { class: 'retrain', 'data-key': m.key }, 'Retrain');
    retrain.addEventListener('click', () => act(m.key, 'retrain'));
    const rollback = el('button', { class: 'rollback', 'data-key': m.key }, 'Roll back');
    rollback.addEventListener('click', () => act(m.key, 'rollback'));
    return el('tr', { 'data-key': m.key }, el('td', {}, open), el('td', {}, serving.join(', ') || 'fallback'),
        el('td', { class: 'num' }, m.versions),
        el('td', { class: 'num' }, fmt(m.liveAuc) + (m.liveAucVersion != null ? ' (' + versionName(m.liveAucVersion) + ')' : '')),
        el('td', {}, job),
        el('td', {}, retrain, ' ', rollback));
  }));
}

function renderDetail(m) {
  document.getElementById('model-detail').hidden = false;
  const serving = Object.entries(m.serving || {}).map(([r, v]) => r.toLowerCase() + ' v' + v +
      (m.servingSince && m.servingSince[r] ? ' since ' + when(m.servingSince[r]) : '')).join(', ');
  document.getElementById('detail-title').textContent = m.key + ' — ' + (serving || 'rule-based fallback serves');
  fill('versions', [...m.versions].reverse().map(v => {
    const cal = v.calibration || {};
    const top = (v.featureImportance || []).slice(0, 3).map(f => f.feature + ' ' + Math.round(f.gainShare * 100) + '%');
    const gate = v.evaluation ? v.evaluation.decision + ': ' + v.evaluation.reasons : '-';
    return el('tr', { 'data-version': v.version }, el('td', {}, 'v' + v.version), el('td', {}, role(v.role)),
        el('td', { class: 'status-' + v.status }, v.status), el('td', {}, when(v.createdAt)),
        el('td', { class: 'num' }, v.trainingExamples), el('td', { class: 'num' }, fmt((v.offlineMetrics || {}).auc)),
        el('td', { class: 'num' }, fmt((v.live || {}).latestAuc)),
        el('td', {}, cal.method + ' (' + fmt(cal.holdoutEceUncalibrated) + ' / ' + fmt(cal.holdoutEce) + ')'),
        el('td', {}, gate), el('td', {}, top.join(', ') || '-'));
  }));
  fill('history', (m.servingHistory || []).map(h => el('tr', {}, el('td', {}, when(h.at)), el('td', {}, role(h.role)),
      el('td', {}, 'v' + h.version), el('td', {}, h.action), el('td', {}, h.actor), el('td', {}, h.reason))));
  drawAuc(m.livePerformance || []);
}

function drawAuc(points) {
  const box = document.getElementById('auc-chart');
  const withAuc = points.filter(p => typeof p.auc === 'number');
  if (withAuc.length === 0) {
    box.replaceChildren(el('p', { class: 'muted' }, 'no live performance report yet'));
    return;
  }
  const W = 760, H = 220, L = 40, R = 10, T = 10, B = 25;
  const t0 = Math.min(...withAuc.map(p => p.timeMs)), t1 = Math.max(...withAuc.map(p => p.timeMs));
  const x = t => L + (t1 === t0 ? (W - L - R) / 2 : (t - t0) / (t1 - t0) * (W - L - R));
  const y = a => T + (1 - a) * (H - T - B);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', W); svg.setAttribute('height', H); svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  for (const a of [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]) {
    const line = document.createElementNS(SVG, 'line');
    Object.entries({ x1: L, x2: W - R, y1: y(a), y2: y(a), stroke: '#e5e9ef' }).forEach(([k, v]) => line.setAttribute(k, v));
    const label = document.createElementNS(SVG, 'text');
    Object.entries({ x: 4, y: y(a) + 4, 'font-size': 10, fill: '#7a8494' }).forEach(([k, v]) => label.setAttribute(k, v));
    label.textContent = a.toFixed(1);
    svg.append(line, label);
  }
  for (const [t, anchor] of [[t0, 'start'], [t1, 'end']]) {
    const label = document.createElementNS(SVG, 'text');
    Object.entries({ x: x(t), y: H - 6, 'font-size': 10, fill: '#7a8494', 'text-anchor': anchor })
        .forEach(([k, v]) => label.setAttribute(k, v));
    label.textContent = when(new Date(t).toISOString()) + ' (market time)';
    svg.append(label);
  }
  const versions = [...new Set(withAuc.map(p => p.version))].sort((a, b) => a - b);
  const legend = el('div', { class: 'legend' });
  versions.forEach((v, i) => {
    const series = withAuc.filter(p => p.version === v);
    const color = COLORS[i % COLORS.length];
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', series.map((p, j) => (j ? 'L' : 'M') + x(p.timeMs).toFixed(1) + ' ' + y(p.auc).toFixed(1)).join(' '));
    path.setAttribute('fill', 'none'); path.setAttribute('stroke', color); path.setAttribute('stroke-width', 2);
    path.setAttribute('data-version', v);
    svg.append(path);
    for (const p of series) {
      const dot = document.createElementNS(SVG, 'circle');
      Object.entries({ cx: x(p.timeMs), cy: y(p.auc), r: 2.5, fill: color }).forEach(([k, val]) => dot.setAttribute(k, val));
      svg.append(dot);
    }
    const item = el('span', {}, versionName(v) + ' (' + series.length + ' reports, last ' + fmt(series[series.length - 1].auc) + ')');
    item.style.color = color;
    legend.append(item);
  });
  box.replaceChildren(svg, legend);
}

function renderDrift(d) {
  fill('drift-summary', (d.byKeyAndDetector || []).map(s => el('tr', {}, el('td', {}, s.modelKey),
      el('td', {}, s.detector), el('td', { class: 'num' }, s.events), el('td', { class: 'num' }, s.warning),
      el('td', { class: 'num' }, s.critical), el('td', { class: 'num' }, fmt(s.lastStatistic)),
      el('td', { class: 'num' }, fmt(s.maxStatistic)), el('td', {}, s.lastSubject),
      el('td', {}, s.lastTimeMs ? when(new Date(s.lastTimeMs).toISOString()) : '-'))));
  fill('drift', (d.events || []).map(e => el('tr', {}, el('td', {}, when(new Date(e.timeMs).toISOString())),
      el('td', {}, e.modelKey), el('td', {}, 'v' + e.version), el('td', {}, e.detector), el('td', {}, e.subject),
      el('td', { class: 'num' }, fmt(e.statistic)), el('td', { class: 'num' }, fmt(e.threshold)),
      el('td', { class: 'sev-' + e.severity }, e.severity))));
}

function renderJobs(jobs) {
  fill('jobs', jobs.map(j => {
    const bar = el('span', { class: 'progress' }, el('span', {}));
    bar.firstChild.style.width = Math.round((j.progress || 0) * 100) + '%';
    return el('tr', { 'data-job': j.id }, el('td', {}, j.id), el('td', {}, j.modelKey),
        el('td', { class: 'status-' + j.status }, j.status), el('td', {}, bar, ' ' + Math.round((j.progress || 0) * 100) + '%'),
        el('td', {}, j.trigger + (j.force ? ' (forced)' : '')), el('td', {}, j.requestedBy),
        el('td', {}, j.gate ? j.gate.decision : '-'), el('td', {}, when(j.finishedAt)), el('td', {}, j.message));
  }));
}

async function refresh() {
  if (!state.token) return;
  try {
    const [status, models, drift, jobs] = await Promise.all([api('api/status'), api('api/models'),
      api('api/drift?limit=30'), api('api/jobs?limit=30')]);
    renderPipeline(status.body);
    renderModels(models.body);
    renderDrift(drift.body);
    renderJobs(jobs.body);
    if (!state.selected && models.body.length) state.selected = models.body[0].key;
    if (state.selected) renderDetail((await api('api/models/' + encodeURIComponent(state.selected))).body);
    const c = document.getElementById('connection');
    c.textContent = 'updated ' + new Date().toLocaleTimeString();
    c.className = 'muted';
  } catch (e) {
    const c = document.getElementById('connection');
    c.textContent = e.status === 401 || e.status === 403 ? 'token refused: ' + e.message : 'error: ' + e.message;
    c.className = 'sev-CRITICAL';
  }
}

function select(key) {
  state.selected = key;
  refresh();
}

async function act(key, action) {
  const out = document.getElementById('action-result');
  const body = { reason: document.getElementById('reason').value };
  if (action === 'retrain' && document.getElementById('force').checked) body.force = true;
  out.className = '';
  out.textContent = action + ' of ' + key + ' ...';
  try {
    const r = await api('api/models/' + encodeURIComponent(key) + '/' + action,
        { method: 'POST', body: JSON.stringify(body), acceptStatus: [409, 500] });
    const b = r.body;
    out.className = (b.status || 'error').toLowerCase();
    out.textContent = b.status + ': ' + b.message + (b.jobId != null ? ' (job ' + b.jobId + ')' : '') +
        (b.modelVersion != null ? ' (v' + b.modelVersion + ')' : '') + ' — request ' + b.requestId +
        ' by ' + b.requestedBy;
    out.setAttribute('data-request', b.requestId || '');
  } catch (e) {
    out.className = 'error';
    out.textContent = action + ' of ' + key + ' not done: ' + e.message;
  }
  refresh();
}

function useToken(token) {
  state.token = token || null;
  if (state.token) sessionStorage.setItem('riptide-ops-token', state.token); else sessionStorage.removeItem('riptide-ops-token');
  refresh();
}

document.addEventListener('DOMContentLoaded', () => {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) history.replaceState(null, '', location.pathname + location.search); // keep it out of the history
  const token = fromHash || sessionStorage.getItem('riptide-ops-token');
  document.getElementById('token-form').addEventListener('submit', ev => {
    ev.preventDefault();
    useToken(document.getElementById('token').value.trim());
  });
  if (token) useToken(token);
  state.timer = setInterval(refresh, 5000);
});
