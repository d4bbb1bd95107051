// The chassis view: renders the snapshot the server pushes over Server-Sent Events (no page reloads).
'use strict';
const $ = id => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    const data = k.startsWith('data-'); // data attributes keep "true"/"false"; other booleans are present or absent
    if (v === undefined || v === null || (v === false && !data)) continue;
    if (k === 'class') e.className = v; else if (k === 'onclick') e.onclick = v; else e.setAttribute(k, v === true && !data ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

const ms = v => v === undefined || v === null ? 'n/a' : `${Math.round(v)} ms`;
const lag = p => (p.replicas || []).reduce((m, r) => Math.max(m, r.inSync ? 0 : p.seq - (r.ackedSeq || 0)), 0);
let actionsEnabled = false;

function renderCards(status) {
  const byCard = {};
  for (const p of status.processes) (byCard[p.cardId] ||= []).push(p.name);
  if (status.chassisManager && status.chassisManager.cardId) (byCard[status.chassisManager.cardId] ||= []).push('chassis manager');
  $('cards').replaceChildren(...status.cards.map(c => el('div', {
      class: `card ${c.alive ? 'alive' : 'dead'} ${c.role}`, 'data-testid': `card-${c.cardId}`,
      'data-alive': c.alive, 'data-role': c.role, 'data-slot': c.slot ?? '' },
    el('h3', {}, c.cardId, el('span', { class: `badge ${c.alive ? 'alive' : 'dead'}`, 'data-testid': `card-${c.cardId}-state` }, c.alive ? 'alive' : 'dead')),
    el('div', {}, c.role === 'line' && c.slot ? `slot ${c.slot}` : c.alive ? c.role : 'no slot', c.homeSlot && c.homeSlot !== c.slot ? ` (home slot ${c.homeSlot})` : '',
      ` · v${c.version || '?'}`, c.processId ? ` · pid ${c.processId}` : ''),
    el('div', { class: 'procs' }, (byCard[c.cardId] || []).join(', ') || (c.alive ? 'no processes' : '')),
    c.metricsUrl ? el('div', { class: 'procs' }, el('a', { href: c.metricsUrl }, 'metrics')) : null,
    actionsEnabled && c.alive && c.role !== 'control'
      ? el('button', { class: 'danger', 'data-testid': `kill-${c.cardId}`, onclick: () => act(`cards/${encodeURIComponent(c.cardId)}/kill`, `kill ${c.cardId}`) }, 'Kill card')
      : null)));
}

function protection(p, now) {
  if (p.protected) return p.lastUnprotectedMs ? `protected (last gap ${ms(p.lastUnprotectedMs)})` : 'protected';
  const since = p.unprotectedSince ? now - Date.parse(p.unprotectedSince) : null;
  return since === null ? 'UNPROTECTED' : `UNPROTECTED for ${ms(since)}`;
}

function renderProcesses(status, readAt) {
  const now = readAt ? Date.parse(readAt) : Date.now();
  const rows = [...status.processes, ...(status.chassisManager ? [status.chassisManager] : [])];
  $('processes').replaceChildren(...rows.map(p => {
    const state = (p.state || 'inactive').toLowerCase();
    const a = p.lastAudit;
    return el('tr', { class: p.protected ? '' : 'unprotected', 'data-testid': `process-${p.name}`, 'data-card': p.cardId || '',
        'data-state': state, 'data-protected': !!p.protected, 'data-epoch': p.epoch },
      el('td', {}, p.name), el('td', {}, p.slot || '-'), el('td', { 'data-testid': `process-${p.name}-card` }, p.cardId || '-'),
      el('td', {}, (p.replicas || []).map(r => `${r.cardId || '?'}:${r.ackedSeq}${r.inSync ? '' : '!'}`).join(' ') || '-'),
      el('td', {}, el('span', { class: `badge ${state}`, 'data-testid': `process-${p.name}-state` }, state), p.reason ? ` ${p.reason}` : ''),
      el('td', {}, `${p.epoch} / ${p.seq}`), el('td', {}, lag(p)),
      el('td', {}, protection(p, now)), el('td', {}, ms(p.lastRestoreMs)),
      el('td', {}, a ? `${a.missing + a.stale + a.wrong === 0 ? 'clean' : 'repaired ' + a.repaired}, ${a.checked} checked, ${ms(a.durationMs)}` : '-',
        a && a.findings ? el('div', { class: 'procs' }, a.findings.map(f => `${f.target}: ${f.action || ''}`).join('; ')) : null),
      el('td', {}, p.restarts || 0),
      el('td', {}, actionsEnabled && p.name !== 'chassis'
        ? el('button', { class: 'danger', 'data-testid': `crash-${p.name}`, onclick: () => act(`processes/${encodeURIComponent(p.name)}/crash`, `crash ${p.name}`) }, 'Crash')
        : null));
  }));
}

function renderTimeline(entries) {
  $('timeline').replaceChildren(...entries.map(e => el('li', {
      class: `${e.kind} ${e.completed ? '' : 'running'}`, 'data-testid': `timeline-${e.id}`, 'data-kind': e.kind, 'data-completed': !!e.completed },
    el('time', {}, new Date(e.at).toLocaleTimeString()), e.message,
    e.kind === 'card-failover' || e.kind === 'slot-restored' || e.kind === 'switchover'
      ? el('div', { class: 'phases', 'data-testid': `timeline-${e.id}-phases` },
          el('span', {}, `detect ${ms(e.detectMs)}`), el('span', {}, `place ${ms(e.placeMs)}`),
          el('span', {}, `restore ${ms(e.restoreMs)}`), el('span', {}, `audit ${ms(e.auditMs)}`),
          el('span', {}, e.completed ? `total ${ms(e.totalMs)}` : 'in progress…'))
      : null)));
}

function render(snapshot) {
  actionsEnabled = !!snapshot.actionsEnabled;
  $('actions').hidden = !actionsEnabled;
  if (snapshot.error) $('live').textContent = `live — last read failed: ${snapshot.error}`;
  const s = snapshot.status;
  if (!s) return;
  const unprotected = s.processes.filter(p => !p.protected).length;
  const ready = s.processes.filter(p => (p.state || '').toLowerCase() === 'ready').length;
  $('summary').textContent = `${s.cards.filter(c => c.alive).length}/${s.cards.length} cards alive · ${ready}/${s.processes.length} processes ready · ${unprotected} unprotected · slot map v${s.slotMapVersion}`;
  $('summary').dataset.unprotected = unprotected;
  renderCards(s);
  renderProcesses(s, snapshot.readAt);
  renderTimeline(snapshot.timeline || []);
}

async function act(path, what) {
  const token = $('token').value;
  sessionStorage.setItem('chassis-token', token);
  const r = await fetch(`api/actions/${path}`, { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = await r.json().catch(() => ({}));
  $('action-result').textContent = r.ok ? `${what}: done` : `${what}: ${r.status} ${body.title || ''} — ${body.detail || ''}`;
}

function connect() {
  const source = new EventSource('api/stream');
  source.addEventListener('snapshot', e => {
    $('live').textContent = 'live'; $('live').className = 'live on';
    render(JSON.parse(e.data));
  });
  source.onerror = () => { $('live').textContent = 'reconnecting…'; $('live').className = 'live off'; };
}

$('token').value = sessionStorage.getItem('chassis-token') || '';
$('add-card').onclick = () => act('cards', 'add a spare card');
connect();
