// app.js - the analysts' page: screens a name, shows ranked hits with score
// bars and explanations, opens an entity with every listed field, screens an
// uploaded file (CSV, an Excel workbook or JSON Lines) with downloads of the
// results as CSV, XLSX or JSON Lines, and lists monitoring alerts with
// buttons to resolve them. Talks only to the API of the server that served
// it; text from the lists is always inserted as text.
'use strict';

const $ = (id) => document.getElementById(id);
let lastResults = null;   // the last search, to come back to from an entity

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const key = $('api-key').value || sessionStorage.getItem('sanctum-key') || '';
  if (key) h['X-API-Key'] = key;
  return h;
}

async function api(path, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = headers(opts.headers);
  const resp = await fetch(path, opts);
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    if (resp.status === 401) $('key-box').open = true;
    const msg = body && body.error ? body.error.message : resp.statusText;
    throw new Error(`${resp.status}: ${msg}`);
  }
  return body;
}

function showError(target, err) {
  target.replaceChildren(el('p', { class: 'error', role: 'alert', text: err.message }));
}

// ---- the lists -------------------------------------------------------------------
async function loadLists() {
  try {
    const lists = await api('/v1/lists');
    const parts = lists.sources.map((s) => `${s.source} (${s.entities} entities${s.published ? ', ' + s.published : ''})`);
    $('lists-status').textContent = 'Loaded: ' + parts.join(', ');
    const sel = $('list');
    for (const s of lists.sources) sel.append(el('option', { value: s.source, text: s.title || s.source }));
  } catch (err) {
    $('lists-status').textContent = 'Lists not available: ' + err.message;
  }
}

// ---- search ------------------------------------------------------------------------
function scoreBar(score) {
  const pct = Math.round(score * 100);
  const fill = el('span');
  fill.style.width = `${pct}%`;   // through the CSSOM: the page's policy forbids inline style attributes
  return el('span', { class: 'score', title: `score ${score.toFixed(4)}` },
    el('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
    el('span', { text: score.toFixed(2) }));
}

function explanation(hit) {
  const p = el('p', { class: 'why' });
  const ex = hit.explanation;
  if (typeof ex === 'string') { p.textContent = ex; return p; }
  if (!ex) return null;
  if (ex.query_form) p.append(el('span', { text: `as "${ex.query_form}": ` }));
  for (const t of ex.tokens || []) {
    p.append(el('span', { class: 'tok', text: `${t.query ?? '-'} ~ ${t.listed ?? '-'} (${t.how})` }));
  }
  for (const v of ex.evidence || []) {
    const sign = v.delta >= 0 ? '+' : '';
    p.append(el('span', { class: 'tok', text: `${sign}${v.delta.toFixed(2)} ${v.field}: ${v.detail || ''}` }));
  }
  return p;
}

function renderHits(result) {
  const box = $('results');
  const hits = result.hits || [];
  const head = el('h3', { id: 'results-heading', tabindex: '-1',
    text: hits.length ? `${hits.length} hit${hits.length === 1 ? '' : 's'}` :
      `No hits at or above ${Number(result.query.min_score).toFixed(2)}` });
  const list = el('ol', { class: 'hits', 'aria-labelledby': 'results-heading' });
  hits.forEach((h, i) => {
    const link = el('a', { href: '#/entity/' + encodeURIComponent(h.entity), class: 'name open-entity', text: h.name });
    const tags = [h.list, h.type, h.matched_field !== 'name' ? 'by ' + h.matched_field : null,
      ...(h.programs || [])].filter(Boolean).map((t) => el('span', { class: 'tag', text: t }));
    const li = el('li', { 'data-entity': h.entity },
      el('div', { class: 'hit-head' }, el('span', { class: 'rank', text: `#${i + 1}` }), scoreBar(h.score), link,
        el('span', { class: 'muted', text: h.entity }), ...tags));
    if (h.matched && h.matched !== h.name)
      li.append(el('div', { class: 'muted', text: `matched ${h.matched_quality === 'weak' ? 'weak ' : ''}${h.matched_kind || 'name'} "${h.matched}"` }));
    li.append(explanation(h));
    list.append(li);
  });
  box.replaceChildren(head, list);
  head.focus();
}

async function search(ev) {
  if (ev) ev.preventDefault();
  const q = $('q').value.trim();
  if (!q) return;
  const params = new URLSearchParams({ q, min_score: $('min_score').value });
  for (const f of ['type', 'list', 'program']) if ($(f).value.trim()) params.set(f, $(f).value.trim());
  $('search-button').disabled = true;
  try {
    lastResults = await api('/v1/search?' + params.toString());
    renderHits(lastResults);
  } catch (err) {
    showError($('results'), err);
  } finally {
    $('search-button').disabled = false;
  }
}

// ---- entity page ---------------------------------------------------------------------
function table(caption, columns, rows) {
  if (!rows || !rows.length) return null;
  const t = el('table', {}, el('caption', { class: 'muted', text: caption }));
  t.append(el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', text: c[1] })))));
  const body = el('tbody');
  for (const r of rows) {
    const row = typeof r === 'string' ? { value: r } : r;
    body.append(el('tr', {}, ...columns.map((c) => el('td', { text: row[c[0]] === undefined || row[c[0]] === null ? '' : String(row[c[0]]) }))));
  }
  t.append(body);
  return t;
}

function addressText(a) {
  return ['street', 'city', 'state', 'postal', 'country', 'note'].map((k) => a[k]).filter(Boolean).join(', ');
}

async function showEntity(id) {
  $('search-view').hidden = true;
  $('batch-view').hidden = true;
  $('alerts-view').hidden = true;
  $('entity-view').hidden = false;
  const box = $('entity');
  box.replaceChildren(el('p', { class: 'muted', text: 'Loading...' }));
  try {
    const e = await api('/v1/entities/' + encodeURIComponent(id));
    $('entity-heading').textContent = e.name || e.id;
    const facts = [['Id', e.id], ['List', e.list], ['Type', e.type], ['Programs', (e.programs || []).join(', ')],
      ['Listed on', e.listed_on], ['Gender', e.gender], ['Title', e.title]].filter((f) => f[1]);
    box.replaceChildren(...[
      table('Facts', [['k', 'Field'], ['v', 'Value']], facts.map((f) => ({ k: f[0], v: f[1] }))),
      table('Names and aliases', [['name', 'Name'], ['kind', 'Kind'], ['quality', 'Quality'], ['script', 'Script']], e.names),
      table('Dates of birth', [['text', 'Date']], e.dates_of_birth),
      table('Places of birth', [['value', 'Place']], e.places_of_birth),
      table('Nationalities', [['value', 'Country']], e.nationalities),
      table('Citizenships', [['value', 'Country']], e.citizenships),
      table('Identifiers', [['type', 'Type'], ['number', 'Number'], ['country', 'Country'], ['issued', 'Issued'], ['expires', 'Expires'], ['note', 'Note']], e.documents),
      table('Addresses', [['text', 'Address']], (e.addresses || []).map((a) => ({ text: addressText(a) }))),
      table('Digital currency addresses', [['currency', 'Currency'], ['address', 'Address']], e.wallets),
      table('Emails', [['value', 'Email']], e.emails),
      table('Websites', [['value', 'Website']], e.websites),
      table('Links', [['relation', 'Relation'], ['target', 'To']], e.links),
      e.remarks ? el('div', {}, el('h3', { text: 'Remarks' }), el('p', { text: e.remarks })) : null,
    ].filter(Boolean));
  } catch (err) {
    $('entity-heading').textContent = 'Entity';
    showError(box, err);
  }
  $('entity-heading').focus();
}

function showSearch() {
  $('entity-view').hidden = true;
  $('search-view').hidden = false;
  $('batch-view').hidden = false;
  $('alerts-view').hidden = false;
}

function route() {
  const m = location.hash.match(/^#\/entity\/(.+)$/);
  if (m) showEntity(decodeURIComponent(m[1]));
  else showSearch();
}

// ---- batch --------------------------------------------------------------------------------
function csvCell(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function resultsCsv(results) {
  const lines = ['id,rank,entity,list,type,score,name,matched,matched_field,error'];
  for (const r of results) {
    if (r.error) { lines.push([r.id, '', '', '', '', '', '', '', '', r.error].map(csvCell).join(',')); continue; }
    if (!r.hits.length) lines.push([r.id, '', '', '', '', '', '', '', '', ''].map(csvCell).join(','));
    r.hits.forEach((h, i) => lines.push([r.id, i + 1, h.entity, h.list, h.type, h.score, h.name, h.matched || h.address || h.number || '', h.matched_field, ''].map(csvCell).join(',')));
  }
  return lines.join('\r\n') + '\r\n';
}

function download(id, label, name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return el('a', { id, class: 'button', href: url, download: name, text: label });
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// What the server is told the upload is: by the file's extension, as the accept list offers them.
function uploadType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'application/x-ndjson';
  return 'text/csv';
}

// Sends the same upload again asking for a workbook, and saves what comes back.
async function downloadWorkbook(button, status, upload) {
  button.disabled = true;
  status.replaceChildren(el('span', { class: 'muted', text: 'Preparing the workbook...' }));
  try {
    const params = new URLSearchParams(upload.params);
    params.set('format', 'xlsx');
    const resp = await fetch('/v1/screen/batch?' + params.toString(), {
      method: 'POST', headers: headers({ 'Content-Type': upload.type, Accept: XLSX_TYPE }), body: upload.file });
    if (!resp.ok) {
      let msg = resp.statusText;
      try { msg = (await resp.json()).error.message; } catch (e) { /* not JSON: keep the status text */ }
      throw new Error(`${resp.status}: ${msg}`);
    }
    const url = URL.createObjectURL(await resp.blob());
    const a = el('a', { href: url, download: upload.base + '-results.xlsx', hidden: '' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.replaceChildren(el('span', { class: 'muted', text: `Saved ${upload.base}-results.xlsx.` }));
  } catch (err) {
    showError(status, err);
  } finally {
    button.disabled = false;
  }
}

async function batch(ev) {
  ev.preventDefault();
  const file = $('batch-file').files[0];
  if (!file) return;
  const box = $('batch-results');
  $('batch-button').disabled = true;
  box.replaceChildren(el('p', { class: 'muted', text: 'Screening...' }));
  try {
    const upload = { file, type: uploadType(file), params: { min_score: $('min_score').value },
      base: file.name.replace(/\.[^.]*$/, '') || 'results' };
    const out = await api('/v1/screen/batch?' + new URLSearchParams(upload.params).toString(), {
      method: 'POST', headers: { 'Content-Type': upload.type }, body: file });
    const s = out.summary;
    const rows = out.results.map((r) => {
      const best = r.hits && r.hits[0];
      return { id: r.id ?? (r.line ? `line ${r.line}` : ''), hits: r.error ? 'error' : r.hits.length,
        best: best ? best.name : (r.error || ''), entity: best ? best.entity : '', score: best ? best.score.toFixed(2) : '' };
    });
    const xlsxButton = el('button', { type: 'button', id: 'download-xlsx', text: 'Download XLSX' });
    const status = el('span', { id: 'download-status', 'aria-live': 'polite' });
    xlsxButton.addEventListener('click', () => downloadWorkbook(xlsxButton, status, upload));
    box.replaceChildren(
      el('h3', { id: 'batch-summary', tabindex: '-1',
        text: `${file.name}: ${s.records} records: ${s.with_hits} with hits, ${s.hits} hits, ${s.errors} errors` }),
      el('p', { class: 'downloads' },
        download('download-csv', 'Download CSV', upload.base + '-results.csv', 'text/csv', resultsCsv(out.results)),
        xlsxButton,
        download('download-jsonl', 'Download JSON Lines', upload.base + '-results.jsonl', 'application/x-ndjson',
          out.results.map((r) => JSON.stringify(r)).join('\n') + '\n'),
        status),
      table('Best hit per record', [['id', 'Id'], ['hits', 'Hits'], ['score', 'Best score'], ['best', 'Best hit'], ['entity', 'Entity']], rows) || '');
    $('batch-summary').focus();
  } catch (err) {
    showError(box, err);
  } finally {
    $('batch-button').disabled = false;
  }
}

// ---- alerts -------------------------------------------------------------------------------
async function resolveAlert(a, resolution, note, status) {
  status.textContent = 'Saving...';
  try {
    const body = { resolution };
    if (note) body.note = note;
    await api(`/v1/alerts/${encodeURIComponent(a.id)}/resolve`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    $('alerts-status').textContent = `Alert ${a.id} resolved as ${resolution}.`;
    await loadAlerts();
    $('alerts-heading').focus();
  } catch (err) {
    status.textContent = '';
    showError(status, err);
  }
}

function alertItem(a) {
  const li = el('li', { class: 'alert-item' });
  const subject = a.subject_name ? `${a.subject_name} (${a.subject})` : a.subject;
  const entity = el('a', { href: '#/entity/' + encodeURIComponent(a.entity), class: 'name', text: a.entity_name || a.entity });
  li.append(el('div', { class: 'hit-head' },
    el('span', { class: 'rank', text: `#${a.id}` }),
    scoreBar(a.score),
    el('span', { text: 'Subject: ' + subject }),
    el('span', { text: 'Entity: ' }, entity, el('span', { class: 'tag', text: a.entity })),
    el('span', { class: 'tag', text: a.status })));
  if (a.status !== 'open') {
    li.append(el('p', { class: 'why', text: `Resolved ${a.resolved || ''} by ${a.resolved_by || '?'}` + (a.note ? `: ${a.note}` : '') }));
    return li;
  }
  const noteId = `alert-note-${a.id}`;
  const status = el('div', { 'aria-live': 'polite' });
  const note = el('input', { id: noteId, type: 'text', maxlength: '4096', size: '40', autocomplete: 'off' });
  const tm = el('button', { type: 'button', text: 'True match' });
  const fp = el('button', { type: 'button', text: 'False positive' });
  tm.setAttribute('aria-label', `Resolve alert ${a.id} as a true match`);
  fp.setAttribute('aria-label', `Resolve alert ${a.id} as a false positive`);
  const go = (resolution) => {
    tm.disabled = fp.disabled = true;
    resolveAlert(a, resolution, note.value.trim(), status).finally(() => { tm.disabled = fp.disabled = false; });
  };
  tm.addEventListener('click', () => go('true-match'));
  fp.addEventListener('click', () => go('false-positive'));
  li.append(el('div', { class: 'row alert-actions' }, el('label', { for: noteId, text: 'Note' }), note, tm, fp), status);
  return li;
}

async function loadAlerts(ev) {
  if (ev) ev.preventDefault();
  const all = $('alerts-all').checked;
  try {
    const alerts = await api('/v1/alerts' + (all ? '?status=all' : ''));
    $('alerts').replaceChildren(alerts.length ? el('ol', { class: 'hits' }, ...alerts.map(alertItem))
      : el('p', { class: 'muted', text: all ? 'No alerts.' : 'No open alerts.' }));
  } catch (err) {
    showError($('alerts'), err);
  }
}

// ---- wiring ---------------------------------------------------------------------------------
document.addEventListener('DOMContentLoaded', () => {
  const saved = sessionStorage.getItem('sanctum-key');
  if (saved) $('api-key').value = saved;
  $('api-key').addEventListener('change', () => {
    sessionStorage.setItem('sanctum-key', $('api-key').value);
    loadLists();
  });
  $('min_score').addEventListener('input', () => { $('min_score_value').value = Number($('min_score').value).toFixed(2); });
  $('search-form').addEventListener('submit', search);
  $('batch-form').addEventListener('submit', batch);
  $('back').addEventListener('click', (ev) => { ev.preventDefault(); history.length > 1 ? history.back() : (location.hash = '#/'); });
  $('alerts-form').addEventListener('submit', loadAlerts);
  $('alerts-all').addEventListener('change', () => loadAlerts());
  window.addEventListener('hashchange', route);
  loadLists();
  route();
});
