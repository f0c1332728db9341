// simvus run report: the page's code. simvus inlines it (after uPlot's IIFE build) into
// report.html together with the run's report.json (schema simvus.report/1, see
// reports/report_schema.md); it reads that JSON from <script id="simvus-report"> and draws:
//   the header (verdict, judges, figures), a timeline canvas (#timeline, one lane per node, fault
//   windows shaded), a virtualized sequence diagram canvas (#sequence, one row per shown event,
//   filterable by role and kind), the state panel (each role's metrics at the current event) and
//   uPlot charts; a step-through moves the current event with buttons and keys.
// Plain modern JS, no dependencies besides uPlot, no external requests. Tests drive it through
// window.simvusReport = {ready, stepIndex(), step(delta), eventCount(), ...}.
(function () {
  'use strict';
  const t_start_ms = performance.now();

  // ================================================================ data
  let report;
  try {
    report = JSON.parse(document.getElementById('simvus-report').textContent);
  } catch (err) {
    document.getElementById('run-title').textContent = 'report.json could not be read: ' + err.message;
    return;
  }
  const run = report.run || {};
  const verdict = report.verdict || { pass: true, invariant: '', detail: '', failed_event: -1 };
  const events = report.events || [];
  const faults = report.faults || [];
  const operations = report.operations || [];
  const metrics = report.metrics || [];
  const n_events = events.length;
  const failed_event = !verdict.pass && verdict.failed_event >= 0 && verdict.failed_event < n_events
    ? verdict.failed_event : -1;

  // Lanes: the report's node order, then any other node an event, message or fault names.
  const lanes = [];
  const lane_of = new Map();
  function AddLane(name) {
    if (!name || lane_of.has(name)) return;
    lane_of.set(name, lanes.length);
    lanes.push(name);
  }
  (report.nodes || []).forEach(AddLane);
  const IsMessage = e => e.kind === 'net.send' || e.kind === 'net.deliver';
  for (const e of events) {
    AddLane(e.node);
    if (IsMessage(e)) { AddLane(e.from); AddLane(e.to); }
  }
  for (const f of faults) (f.nodes || []).forEach(AddLane);

  // Per event: its time and lane; the step-level events' indices for the step-through.
  const ev_t = new Float64Array(n_events);
  const ev_lane = new Int32Array(n_events);
  const step_list = [];
  for (let i = 0; i < n_events; i++) {
    const e = events[i];
    ev_t[i] = e.t_ns;
    ev_lane[i] = lane_of.get(e.node) ?? 0;
    if (e.level === 'step') step_list.push(i);
  }
  const all_list = Array.from({ length: n_events }, (_, i) => i);
  // A message's kind is the RPC it names ("etcd.Range (87 B)", "etcd.Range reply (32 B)").
  const MessageKind = e => (e.text || '').split(' ')[0] || '(none)';

  // Pair each net.send with its net.deliver: FIFO per (from, to, text).
  const pair_of = new Int32Array(n_events).fill(-1);
  {
    const pending = new Map();
    for (let i = 0; i < n_events; i++) {
      const e = events[i];
      if (!IsMessage(e)) continue;
      const key = e.from + '\u0000' + e.to + '\u0000' + e.text;
      if (e.kind === 'net.send') {
        if (!pending.has(key)) pending.set(key, []);
        pending.get(key).push(i);
      } else {
        const q = pending.get(key);
        if (q && q.length) {
          const s = q.shift();
          pair_of[s] = i;
          pair_of[i] = s;
        }
      }
    }
  }

  const end_ns = Math.max(
    (report.figures || {}).sim_time_ns || 0,
    n_events ? ev_t[n_events - 1] : 0,
    ...faults.map(f => f.end_ns || 0),
    1e6);  // at least 1 ms, so an empty run still has an axis
  // Operations whose times fall inside the run (a writer bug could put them elsewhere: they are
  // left out of the charts, and the charts say so).
  const InRun = ns => ns >= 0 && ns <= end_ns * 1.01 + 1e9;
  const ops_in_run = operations.filter(o => InRun(o.invoke_ns) && (o.complete_ns < 0 || InRun(o.complete_ns)));
  const ops_outside = operations.length - ops_in_run.length;

  // ================================================================ helpers
  const $ = id => document.getElementById(id);
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ESC[c]);
  const Seconds = ns => (ns / 1e9).toFixed(6) + ' s';
  const dpr = () => window.devicePixelRatio || 1;

  // Binary searches over a sorted numeric array.
  function LowerBound(arr, x) {  // first index with arr[k] >= x
    let lo = 0, hi = arr.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  function UpperBound(arr, x) {  // first index with arr[k] > x
    let lo = 0, hi = arr.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] <= x) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // Colours: one per kind family ("query", "data", "kafka", ...), in order of first appearance.
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f', '#b8a000',
    '#17becf', '#8c564b', '#7f7f7f', '#1f77b4', '#bcbd22', '#6b6ecf', '#d6616b'];
  const family_colour = new Map();
  function FamilyColour(kind) {
    const fam = String(kind || '').split('.')[0];
    if (!family_colour.has(fam)) family_colour.set(fam, PALETTE[family_colour.size % PALETTE.length]);
    return family_colour.get(fam);
  }
  // Assigned in event order up front, so a run's colours do not depend on what was drawn first.
  for (const e of events) FamilyColour(IsMessage(e) ? MessageKind(e) : e.kind);
  const CURRENT = '#0969da';
  const FAILED = '#cf222e';
  const FAULT_FILL = 'rgba(247, 144, 9, 0.20)';
  const FAULT_EDGE = 'rgba(200, 110, 0, 0.85)';

  // Sizes a canvas to css_w x css_h CSS pixels at the device's pixel ratio; returns its context.
  function FitCanvas(canvas, css_w, css_h) {
    const r = dpr();
    const w = Math.max(1, Math.round(css_w * r)), h = Math.max(1, Math.round(css_h * r));
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    canvas.style.height = css_h + 'px';
    const ctx = canvas.getContext('2d');
    ctx.setTransform(r, 0, 0, r, 0, 0);
    return ctx;
  }

  // Cuts text to fit max_w pixels, with an ellipsis.
  function Fit(ctx, text, max_w) {
    if (max_w <= 8) return '';
    if (ctx.measureText(text).width <= max_w) return text;
    let lo = 0, hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(text.slice(0, mid) + '\u2026').width <= max_w) lo = mid; else hi = mid - 1;
    }
    return text.slice(0, lo) + '\u2026';
  }

  // "Nice" tick step for a range of span seconds over px pixels (about one tick per 110 px).
  function NiceStep(span, px) {
    const raw = span / Math.max(1, px / 110);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  // ================================================================ header
  function RenderHeader() {
    document.title = `simvus ${verdict.pass ? 'PASS' : 'FAIL'} ${run.scenario || ''} seed ${run.seed ?? ''}`;
    $('run-title').textContent = run.scenario || '(unnamed scenario)';
    $('run-description').textContent = run.description || '';
    const facts = [['seed', run.seed], ['backend', run.backend], ['injected bug', run.injected_bug || 'none'],
      ['schema', report.schema]];
    $('run-facts').innerHTML = facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
    const box = $('verdict');
    box.classList.add(verdict.pass ? 'pass' : 'fail');
    $('verdict-word').textContent = verdict.pass ? 'PASS' : 'FAIL';
    $('verdict-invariant').textContent = verdict.pass ? 'every judged invariant held' : verdict.invariant;
    $('verdict-detail').textContent = verdict.detail || '';
    $('reproduce').textContent = run.reproduce || '';

    const figs = Object.entries(report.figures || {});
    $('figures').innerHTML = figs.map(([k, v]) => {
      const shown = /_ns$/.test(k) && typeof v === 'number' ? `${v} (${Seconds(v)})` : v;
      return `<div><dt>${esc(k)}</dt><dd>${esc(shown)}</dd></div>`;
    }).join('');

    const rows = (report.judges || []).map(j => {
      const covers = (j.covers || []).map(c =>
        `<code class="${c === j.invariant && j.result === 'fail' ? 'failed' : ''}">${esc(c)}</code>`).join('');
      return `<tr><td class="mono">${esc(j.name)}</td><td><span class="result ${esc(j.result)}">${esc(j.result)}</span></td>` +
        `<td><span class="mono">${esc(j.invariant || '')}</span> <span class="muted">${esc(j.detail || '')}</span></td>` +
        `<td class="covers">${covers}</td></tr>`;
    });
    $('judges').querySelector('tbody').innerHTML =
      rows.join('') || '<tr><td colspan="4" class="muted">no judge ran</td></tr>';
  }

  // ================================================================ the current event
  // `current` is an index into events; the step list is the step-level events, or every event
  // when "include detail events" is on (or the run has no step events).
  let current = failed_event >= 0 ? failed_event : (step_list.length ? step_list[0] : 0);
  let include_detail = step_list.length === 0;
  const ActiveList = () => (include_detail ? all_list : step_list);
  const listeners = [];  // called with the current event index after every move

  function SetCurrent(i, opts = {}) {
    if (!n_events) return;
    current = Math.max(0, Math.min(n_events - 1, i));
    for (const f of listeners) f(current, opts);
  }

  // Moves delta places in the active list, from the current event (which may not be in it).
  function Step(delta) {
    const list = ActiveList();
    if (!list.length || delta === 0) return current;
    let p;
    if (delta > 0) p = UpperBound(list, current) + delta - 1;
    else p = LowerBound(list, current) + delta;
    p = Math.max(0, Math.min(list.length - 1, p));
    SetCurrent(list[p], { reveal: true });
    return current;
  }

  function RenderCurrent(i) {
    const box = $('current-event');
    if (!n_events) { $('current-text').textContent = 'this run recorded no events'; return; }
    const e = events[i];
    const failed = i === failed_event;
    box.classList.toggle('failed', failed);
    box.dataset.event = String(i);
    let meta = `#${i}  t=${Seconds(e.t_ns)}  ${e.node}  ${e.kind}  [${e.level}]`;
    if (e.from || e.to) meta += `  ${e.from} \u2192 ${e.to}`;
    $('current-meta').textContent = meta;
    $('current-text').textContent = (failed ? `FAILED HERE (${verdict.invariant}): ` : '') + (e.text || '');
    const list = ActiveList();
    const p = LowerBound(list, i);
    let where = `event ${i + 1} / ${n_events}`;
    if (!include_detail) {
      where = (list[p] === i ? `step ${p + 1} / ${list.length}` : `between steps ${p} and ${p + 1} of ${list.length}`) +
        ` \u00b7 ${where}`;
    }
    $('step-position').textContent = where;
  }
  listeners.push(RenderCurrent);

  // ================================================================ timeline
  const Timeline = (() => {
    const canvas = $('timeline');
    const LABEL_W = 112, AXIS_H = 24, LANE_H = 24, PAD_R = 12;
    const full = { t0: -end_ns * 0.01, t1: end_ns * 1.01 };
    const view = { ...full };
    let css_w = 0;
    const height = AXIS_H + lanes.length * LANE_H + 6;

    const X = t => LABEL_W + (t - view.t0) / (view.t1 - view.t0) * (css_w - LABEL_W - PAD_R);
    const T = x => view.t0 + (x - LABEL_W) / (css_w - LABEL_W - PAD_R) * (view.t1 - view.t0);

    function Draw() {
      css_w = canvas.parentElement.clientWidth;
      const ctx = FitCanvas(canvas, css_w, height);
      const plot_w = css_w - LABEL_W - PAD_R;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, css_w, height);
      // Lanes and their names.
      ctx.font = '12px ui-monospace, Menlo, Consolas, monospace';
      ctx.textBaseline = 'middle';
      for (let k = 0; k < lanes.length; k++) {
        const y = AXIS_H + k * LANE_H;
        if (k % 2 === 0) { ctx.fillStyle = '#f6f8fa'; ctx.fillRect(LABEL_W, y, plot_w, LANE_H); }
        ctx.fillStyle = ev_lane[current] === k ? CURRENT : '#1f2328';
        ctx.fillText(Fit(ctx, lanes[k], LABEL_W - 10), 6, y + LANE_H / 2);
      }
      ctx.save();
      ctx.beginPath();
      ctx.rect(LABEL_W, 0, plot_w, height);
      ctx.clip();
      // Time axis: ticks in sim seconds.
      const span_s = (view.t1 - view.t0) / 1e9;
      const step_s = NiceStep(span_s, plot_w);
      const digits = Math.max(0, -Math.floor(Math.log10(step_s)));
      ctx.fillStyle = '#656d76';
      ctx.strokeStyle = '#e4e8ec';
      ctx.lineWidth = 1;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      for (let s = Math.ceil(view.t0 / 1e9 / step_s) * step_s; s <= view.t1 / 1e9; s += step_s) {
        const x = Math.round(X(s * 1e9)) + 0.5;
        ctx.beginPath(); ctx.moveTo(x, AXIS_H - 4); ctx.lineTo(x, height); ctx.stroke();
        ctx.fillText(s.toFixed(digits) + ' s', x, AXIS_H / 2);
      }
      // Fault windows, shaded across their lanes (every lane when a fault names none).
      ctx.textAlign = 'left';
      for (const f of faults) {
        const fl = (f.nodes && f.nodes.length ? f.nodes : lanes).map(n => lane_of.get(n));
        const x0 = X(f.start_ns), x1 = Math.max(X(f.end_ns), x0 + 2);
        for (const k of fl) {
          const y = AXIS_H + k * LANE_H;
          ctx.fillStyle = FAULT_FILL;
          ctx.fillRect(x0, y + 1, x1 - x0, LANE_H - 2);
          ctx.strokeStyle = FAULT_EDGE;
          ctx.strokeRect(x0 + 0.5, y + 1.5, x1 - x0 - 1, LANE_H - 3);
        }
        const k0 = Math.min(...fl);
        ctx.fillStyle = '#8a4b00';
        ctx.font = '11px system-ui, sans-serif';
        const lx = Math.max(x0, LABEL_W) + 3;  // a window that began before the view: label at its edge
        if (lx < x1 || x1 - x0 <= 2) ctx.fillText(Fit(ctx, f.text || f.kind, Math.max(x1 - lx - 3, 160)), lx, AXIS_H + k0 * LANE_H + 7);
      }
      // Events: detail events as faint ticks, step events as coloured bars. Only the visible
      // range is drawn; detail ticks go in one path.
      const i0 = LowerBound(ev_t, view.t0), i1 = UpperBound(ev_t, view.t1);
      ctx.beginPath();
      for (let i = i0; i < i1; i++) {
        if (events[i].level === 'step') continue;
        const x = Math.round(X(ev_t[i])) + 0.5, y = AXIS_H + ev_lane[i] * LANE_H;
        ctx.moveTo(x, y + LANE_H - 9); ctx.lineTo(x, y + LANE_H - 3);
      }
      ctx.strokeStyle = 'rgba(110, 119, 129, 0.45)';
      ctx.stroke();
      for (let i = i0; i < i1; i++) {
        if (events[i].level !== 'step') continue;
        const x = X(ev_t[i]), y = AXIS_H + ev_lane[i] * LANE_H;
        ctx.fillStyle = FamilyColour(events[i].kind);
        ctx.fillRect(Math.round(x) - 1, y + 4, 3, LANE_H - 10);
      }
      // The failure (always) and the current event.
      if (failed_event >= 0) Marker(ctx, failed_event, FAILED, true);
      if (n_events) Marker(ctx, current, current === failed_event ? FAILED : CURRENT, false);
      ctx.restore();
      canvas.dataset.current = String(current);
      canvas.dataset.viewStartNs = String(Math.round(view.t0));
      canvas.dataset.viewEndNs = String(Math.round(view.t1));
    }

    function Marker(ctx, i, colour, dashed) {
      const x = Math.round(X(ev_t[i])) + 0.5, y = AXIS_H + ev_lane[i] * LANE_H;
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.lineWidth = dashed ? 1 : 1.5;
      if (dashed) ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x, AXIS_H); ctx.lineTo(x, height); ctx.stroke();
      ctx.setLineDash([]);
      ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.arc(x, y + LANE_H / 2, 7, 0, 2 * Math.PI); ctx.stroke();
      ctx.fillStyle = colour;
      ctx.beginPath(); ctx.moveTo(x - 5, AXIS_H - 6); ctx.lineTo(x + 5, AXIS_H - 6); ctx.lineTo(x, AXIS_H); ctx.fill();
      ctx.restore();
    }

    // Keeps the current event in view, panning (within the run) without changing the zoom.
    function Reveal(i) {
      const t = ev_t[i], w = view.t1 - view.t0;
      if (t >= view.t0 && t <= view.t1) return;
      view.t0 = Math.max(full.t0, Math.min(full.t1 - w, t - w / 2));
      view.t1 = view.t0 + w;
    }

    // The nearest event of the active list within 8 px of x, preferring lane k.
    function EventNear(x, k) {
      const list = ActiveList();
      const dt = (T(x + 8) - T(x - 8)) / 2, t = T(x);
      const a = LowerBound(ev_t, t - dt), b = UpperBound(ev_t, t + dt);
      let best = -1, best_score = Infinity;
      for (let i = a; i < b; i++) {
        if (!include_detail && events[i].level !== 'step') continue;
        const score = Math.abs(ev_t[i] - t) / dt + (ev_lane[i] === k ? 0 : 2);
        if (score < best_score) { best_score = score; best = i; }
      }
      return list.length ? best : -1;
    }

    // Zoom (wheel, around the pointer), pan (drag), reset (double-click), select (click).
    let drag = null;
    const LaneAt = y => Math.floor((y - AXIS_H) / LANE_H);
    canvas.addEventListener('wheel', ev => {
      if (ev.offsetX < LABEL_W) return;
      ev.preventDefault();
      const t = T(ev.offsetX), f = Math.pow(1.0015, ev.deltaY);
      const min_w = 1e4;  // 10 us
      const w = Math.max(min_w, (view.t1 - view.t0) * f);
      const frac = (t - view.t0) / (view.t1 - view.t0);
      view.t0 = t - frac * w; view.t1 = view.t0 + w;
      requestAnimationFrame(Draw);
    }, { passive: false });
    canvas.addEventListener('mousedown', ev => {
      drag = { x: ev.clientX, t0: view.t0, t1: view.t1, moved: false };
      canvas.classList.add('dragging');
    });
    window.addEventListener('mousemove', ev => {
      if (!drag) return;
      const dx = ev.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      const dt = dx / (css_w - LABEL_W - PAD_R) * (drag.t1 - drag.t0);
      view.t0 = drag.t0 - dt; view.t1 = drag.t1 - dt;
      requestAnimationFrame(Draw);
    });
    window.addEventListener('mouseup', ev => {
      if (!drag) return;
      const was_click = !drag.moved;
      drag = null;
      canvas.classList.remove('dragging');
      if (was_click && ev.target === canvas) {
        const i = EventNear(ev.offsetX, LaneAt(ev.offsetY));
        if (i >= 0) SetCurrent(i, { reveal: false });
      }
    });
    canvas.addEventListener('dblclick', () => { Object.assign(view, full); Draw(); });
    canvas.addEventListener('mousemove', ev => {
      if (drag) return;
      const i = EventNear(ev.offsetX, LaneAt(ev.offsetY));
      canvas.title = i >= 0 ? `${Seconds(ev_t[i])} ${events[i].node}: ${events[i].text}` : '';
    });

    listeners.push((i, opts) => { if (opts.reveal !== false) Reveal(i); Draw(); });
    return { Draw };
  })();

  // ================================================================ sequence diagram
  // One row per shown event, in event order. A message is an arrow from the sender's lifeline to
  // the receiver's on its send's row, labelled with its time in flight; with "delivery rows" on,
  // its delivery has a row of its own and the arrow slants down to it. Only the rows in view are
  // drawn, into one canvas under a scrolling div whose spacer has the height of every row.
  const Sequence = (() => {
    const canvas = $('sequence'), scroller = $('sequence-scroll'), spacer = $('sequence-spacer');
    const HEAD_H = 34, ROW_H = 18, GUTTER_W = 74;
    const role_on = new Map(lanes.map(n => [n, true]));
    const msg_kinds = [...new Set(events.filter(IsMessage).map(MessageKind))].sort();
    const ev_kinds = [...new Set(events.filter(e => !IsMessage(e)).map(e => e.kind))].sort();
    const msg_on = new Map(msg_kinds.map(k => [k, true]));
    const ev_on = new Map(ev_kinds.map(k => [k, true]));
    const show_other_detail = $('seq-show-detail');
    const split_box = $('seq-deliveries');
    let split = false;                            // deliveries on rows of their own
    let rows = [];                                // event indices, ascending
    let row_of = new Int32Array(n_events).fill(-1);
    let cols = [];                                // visible roles, lanes order
    let col_of = new Map();

    function Shown(e) {
      if (IsMessage(e)) return role_on.get(e.from) && role_on.get(e.to) && msg_on.get(MessageKind(e));
      if (!role_on.get(e.node) || !ev_on.get(e.kind)) return false;
      return e.level === 'step' || show_other_detail.checked;
    }

    function Rebuild() {
      cols = lanes.filter(n => role_on.get(n));
      col_of = new Map(cols.map((n, k) => [n, k]));
      split = split_box.checked;
      rows = [];
      row_of.fill(-1);
      let shown = 0;
      for (let i = 0; i < n_events; i++) {
        const e = events[i];
        if (!Shown(e)) continue;
        shown++;
        if (!split && e.kind === 'net.deliver' && pair_of[i] >= 0) { row_of[i] = row_of[pair_of[i]]; continue; }
        row_of[i] = rows.length;
        rows.push(i);
      }
      spacer.style.height = (HEAD_H + rows.length * ROW_H + ROW_H) + 'px';
      $('sequence-count').textContent = `${shown} of ${n_events} events shown, on ${rows.length} rows`;
      $('roles-count').textContent = `(${cols.length}/${lanes.length})`;
      $('msgkinds-count').textContent = `(${msg_kinds.filter(k => msg_on.get(k)).length}/${msg_kinds.length})`;
      $('evkinds-count').textContent = `(${ev_kinds.filter(k => ev_on.get(k)).length}/${ev_kinds.length})`;
      canvas.dataset.rows = String(rows.length);
      Reveal(current);
      Draw();
    }

    function Draw() {
      const w = scroller.clientWidth, h = scroller.clientHeight;
      const ctx = FitCanvas(canvas, canvas.parentElement.clientWidth, h);
      canvas.style.height = '100%';
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w + 20, h);
      const top = scroller.scrollTop;
      const col_w = (w - GUTTER_W) / Math.max(1, cols.length);
      const CX = name => GUTTER_W + (col_of.get(name) + 0.5) * col_w;
      const RY = r => HEAD_H + r * ROW_H - top + ROW_H / 2;
      const r0 = Math.max(0, Math.floor(top / ROW_H) - 1);
      const r1 = Math.min(rows.length - 1, Math.ceil((top + h) / ROW_H) + 1);

      // Bands: the current and the failed event's rows; fault windows on their lifelines.
      const cur_row = row_of[current];
      if (failed_event >= 0 && row_of[failed_event] >= 0) Band(ctx, RY(row_of[failed_event]), w, 'rgba(207, 34, 46, 0.16)');
      if (cur_row >= 0) Band(ctx, RY(cur_row), w, current === failed_event ? 'rgba(207, 34, 46, 0.28)' : 'rgba(9, 105, 218, 0.16)');
      for (const f of faults) {
        const a = LowerBound(rows, f.start_event ?? 0), b = UpperBound(rows, f.end_event ?? n_events) - 1;
        if (b < a || b < r0 || a > r1) continue;
        const y0 = RY(a) - ROW_H / 2, y1 = RY(b) + ROW_H / 2;
        ctx.fillStyle = FAULT_FILL;
        for (const n of (f.nodes && f.nodes.length ? f.nodes : cols)) {
          if (!col_of.has(n)) continue;
          ctx.fillRect(CX(n) - col_w * 0.18, y0, col_w * 0.36, y1 - y0);
        }
      }
      // Lifelines.
      ctx.strokeStyle = '#c9d1d9';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const n of cols) { const x = Math.round(CX(n)) + 0.5; ctx.moveTo(x, HEAD_H); ctx.lineTo(x, h); }
      ctx.stroke();

      // Messages: on their send's row, or (delivery rows) every one crossing the rows in view,
      // since a slow one may start far above.
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'bottom';
      for (let r = split ? 0 : r0; r <= r1; r++) {
        const i = rows[r];
        if (events[i].kind !== 'net.send') continue;
        const d = pair_of[i], rd = split && d >= 0 ? row_of[d] : r;
        if (rd < r0) continue;
        Arrow(ctx, i, d, RY(r) + 3, RY(rd) + 3, CX, col_w);
      }
      // Deliveries whose send is not shown (never sent in this trace) and the other events.
      ctx.textBaseline = 'middle';
      for (let r = r0; r <= r1; r++) {
        const i = rows[r], e = events[i], y = RY(r);
        if (e.kind === 'net.deliver') {
          if (pair_of[i] < 0) Arrow(ctx, -1, i, y + 3, y + 3, CX, col_w);
          continue;
        }
        if (IsMessage(e)) continue;
        const x = CX(e.node), step = e.level === 'step';
        ctx.fillStyle = i === failed_event ? FAILED : step ? FamilyColour(e.kind) : '#8c959f';
        ctx.beginPath(); ctx.arc(x, y, step ? 4.5 : 3, 0, 2 * Math.PI); ctx.fill();
        ctx.font = step ? '12px system-ui, sans-serif' : '11px system-ui, sans-serif';
        const label = Fit(ctx, step ? e.text : `${e.kind}: ${e.text}`, w - x - 14);
        const tw = ctx.measureText(label).width;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
        ctx.fillRect(x + 8, y - 7, tw + 4, 14);
        ctx.fillStyle = step ? '#1f2328' : '#656d76';
        ctx.fillText(label, x + 10, y);
      }
      // Gutter: each row's time; header: the roles.
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, HEAD_H, GUTTER_W - 4, h);
      ctx.font = '10px ui-monospace, Menlo, Consolas, monospace';
      ctx.textAlign = 'right';
      for (let r = r0; r <= r1; r++) {
        const i = rows[r];
        ctx.fillStyle = r === cur_row ? CURRENT : i === failed_event ? FAILED : '#8c959f';
        ctx.fillText((ev_t[i] / 1e9).toFixed(6), GUTTER_W - 8, RY(r));
      }
      ctx.textAlign = 'left';
      ctx.fillStyle = '#f6f8fa';
      ctx.fillRect(0, 0, w + 20, HEAD_H);
      ctx.strokeStyle = '#d8dee4';
      ctx.beginPath(); ctx.moveTo(0, HEAD_H - 0.5); ctx.lineTo(w + 20, HEAD_H - 0.5); ctx.stroke();
      ctx.font = '600 11px ui-monospace, Menlo, Consolas, monospace';
      ctx.textAlign = 'center';
      // Names on one line, or on two staggered lines when the columns are narrow.
      const wide = cols.every(n => ctx.measureText(n).width <= col_w - 4);
      if (!wide) ctx.font = '600 10px ui-monospace, Menlo, Consolas, monospace';
      cols.forEach((n, k) => {
        ctx.fillStyle = n === events[current]?.node ? CURRENT : '#1f2328';
        const y = wide ? HEAD_H / 2 : k % 2 ? HEAD_H * 0.72 : HEAD_H * 0.3;
        ctx.fillText(Fit(ctx, n, wide ? col_w - 4 : 2 * col_w - 6), CX(n), y);
      });
      ctx.textAlign = 'left';
      ctx.fillStyle = '#656d76';
      ctx.font = '10px system-ui, sans-serif';
      ctx.fillText('sim s', 8, HEAD_H / 2);
      if (!rows.length) {
        ctx.fillStyle = '#656d76';
        ctx.font = '13px system-ui, sans-serif';
        ctx.fillText('no events match the filters', GUTTER_W + 10, HEAD_H + 24);
      }
      canvas.dataset.current = String(current);
      canvas.dataset.currentRow = String(cur_row);
    }

    function Band(ctx, y, w, colour) {
      ctx.fillStyle = colour;
      ctx.fillRect(0, y - ROW_H / 2, w + 20, ROW_H);
    }

    // An arrow for the message sent at event s (-1: unknown) and delivered at event d (-1: not
    // delivered in this run), from row y_s to row y_d.
    function Arrow(ctx, s, d, y_s, y_d, CX, col_w) {
      const e = events[s >= 0 ? s : d];
      const x_s = CX(e.from), x_d = CX(e.to);
      const is_current = current === s || current === d;
      const is_failed = failed_event >= 0 && (failed_event === s || failed_event === d);
      const colour = is_failed ? FAILED : is_current ? CURRENT : FamilyColour(MessageKind(e));
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = is_current ? 2.5 : 1.2;
      let x_end = x_d, y_end = y_d;
      if (d < 0) x_end = x_s + (x_d - x_s) / 2;
      if (e.from === e.to && y_end === y_s) y_end = y_s + ROW_H / 3;
      ctx.beginPath();
      if (e.from === e.to) {  // a message to itself: a small loop
        ctx.moveTo(x_s, y_s); ctx.lineTo(x_s + 16, y_s); ctx.lineTo(x_s + 16, y_end); ctx.lineTo(x_s, y_end);
      } else {
        ctx.moveTo(x_s, y_s); ctx.lineTo(x_end, y_end);
      }
      ctx.stroke();
      if (d >= 0) {
        const ang = e.from === e.to ? Math.PI : Math.atan2(y_end - y_s, x_end - x_s);
        ctx.beginPath();
        ctx.moveTo(x_end, y_end);
        ctx.lineTo(x_end - 8 * Math.cos(ang - 0.4), y_end - 8 * Math.sin(ang - 0.4));
        ctx.lineTo(x_end - 8 * Math.cos(ang + 0.4), y_end - 8 * Math.sin(ang + 0.4));
        ctx.fill();
      } else {  // lost: a cross where it stopped
        ctx.beginPath();
        ctx.moveTo(x_end - 4, y_end - 4); ctx.lineTo(x_end + 4, y_end + 4);
        ctx.moveTo(x_end + 4, y_end - 4); ctx.lineTo(x_end - 4, y_end + 4);
        ctx.stroke();
      }
      if (s >= 0) {  // the RPC's name at the sender's end, on the side the arrow goes
        ctx.font = is_current ? '600 11px system-ui, sans-serif' : '11px system-ui, sans-serif';
        const room = Math.max(col_w * 1.6, Math.abs(x_d - x_s) - 12);
        const flight = d >= 0 ? `  +${((ev_t[d] - ev_t[s]) / 1e6).toFixed(3)} ms` : '  (not delivered)';
        const label = Fit(ctx, e.text + flight, room);
        const left = x_d < x_s;
        const tw = ctx.measureText(label).width;
        const tx = left ? x_s - 6 - tw : x_s + 6;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.8)';
        ctx.fillRect(tx - 1, y_s - 12, tw + 2, 11);
        ctx.fillStyle = is_failed ? FAILED : is_current ? CURRENT : '#424a53';
        ctx.fillText(label, tx, y_s - 2);
      }
    }

    // Scrolls so the current event's row (or the next shown row after it) is in the middle.
    function Reveal(i) {
      if (!rows.length) return;
      const r = row_of[i] >= 0 ? row_of[i] : Math.min(rows.length - 1, LowerBound(rows, i));
      const y = r * ROW_H, h = scroller.clientHeight;
      if (y < scroller.scrollTop + ROW_H * 2 || y > scroller.scrollTop + h - HEAD_H - ROW_H * 3) {
        scroller.scrollTop = Math.max(0, y - (h - HEAD_H) / 2);
      }
    }

    // Filters: a checkbox per role, message kind and event kind.
    function Checkboxes(container, names, state, colour) {
      container.innerHTML = names.map((n, k) =>
        `<label><input type="checkbox" data-k="${k}" checked> ` +
        `<span style="color:${colour ? colour(n) : 'inherit'}">\u25A0</span> ${esc(n)}</label>`).join('');
      container.addEventListener('change', ev => {
        const k = ev.target.dataset.k;
        if (k === undefined) return;
        state.set(names[+k], ev.target.checked);
        Rebuild();
      });
    }
    Checkboxes($('filter-roles'), lanes, role_on, null);
    Checkboxes($('filter-msgkinds'), msg_kinds, msg_on, FamilyColour);
    Checkboxes($('filter-evkinds'), ev_kinds, ev_on, FamilyColour);
    const groups = { roles: ['filter-roles', lanes, role_on], msgkinds: ['filter-msgkinds', msg_kinds, msg_on],
      evkinds: ['filter-evkinds', ev_kinds, ev_on] };
    $('sequence-filters').addEventListener('click', ev => {
      const g = ev.target.dataset.all || ev.target.dataset.none;
      if (!g) return;
      const on = !!ev.target.dataset.all;
      const [id, names, state] = groups[g];
      names.forEach(n => state.set(n, on));
      $(id).querySelectorAll('input').forEach(c => { c.checked = on; });
      Rebuild();
    });
    show_other_detail.addEventListener('change', Rebuild);
    split_box.addEventListener('change', Rebuild);

    let frame = 0;
    scroller.addEventListener('scroll', () => {
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; Draw(); });
    });
    scroller.addEventListener('click', ev => {
      const rect = scroller.getBoundingClientRect();
      const y = ev.clientY - rect.top + scroller.scrollTop - HEAD_H;
      const r = Math.floor(y / ROW_H);
      if (r >= 0 && r < rows.length) SetCurrent(rows[r], { reveal: false, from_sequence: true });
    });

    listeners.push((i, opts) => { if (!opts.from_sequence) Reveal(i); Draw(); });
    return { Rebuild, Draw };
  })();

  // ================================================================ state panel
  // A role's state at event i: for every series labelled with that node, its last point at or
  // before events[i].t_ns (schema: "The step-through's state panel"). A state-set (Prometheus's
  // pattern for an enumeration: a series `x_state{..., y_state="S"}` per state S, 1 for the
  // current one) is one row showing the state that is 1. Rows that changed since the previous
  // step are marked.
  const StatePanel = (() => {
    const by_node = new Map();
    const rows_by_key = new Map();
    const LabelText = entries => (entries.length ? '{' + entries.map(([k, v]) => `${k}="${v}"`).join(', ') + '}' : '');
    const ValueAt = (s, t) => { const k = UpperBound(s.t, t) - 1; return k >= 0 ? s.v[k] : undefined; };
    const Show = v => (v === undefined ? '\u2013' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v));
    for (const m of metrics) {
      const node = (m.labels || {}).node;
      if (!node) continue;
      const pts = m.points || [];
      const series = { t: Float64Array.from(pts, p => p[0]), v: pts.map(p => p[1]) };
      const rest = Object.entries(m.labels).filter(([k]) => k !== 'node');
      const state_label = /_state$/.test(m.name) ? rest.find(([k]) => /state$/.test(k)) : undefined;
      const labels = LabelText(state_label ? rest.filter(e => e !== state_label) : rest);
      const key = m.name + labels;
      let row = rows_by_key.get(node + ' ' + key);
      if (!row) {
        row = { key, name: m.name, labels, series: [], At: null };
        rows_by_key.set(node + ' ' + key, row);
        if (!by_node.has(node)) by_node.set(node, []);
        by_node.get(node).push(row);
      }
      if (state_label) {
        row.series.push({ ...series, state: state_label[1] });
        row.At = t => {
          const on = row.series.filter(s => ValueAt(s, t) === 1).map(s => s.state);
          return on.length ? on.join(', ') : row.series.some(s => ValueAt(s, t) !== undefined) ? 'none' : '\u2013';
        };
      } else {
        row.series.push(series);
        row.At = t => Show(ValueAt(row.series[0], t));
      }
    }
    for (const list of by_node.values()) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const order = lanes.filter(n => by_node.has(n)).concat([...by_node.keys()].filter(n => !lane_of.has(n)));
    const silent = lanes.filter(n => !by_node.has(n));

    function Render(i) {
      const box = $('state');
      if (!by_node.size || !n_events) {
        box.innerHTML = '<p class="none">no metrics in this run: roles recorded no state series</p>';
        return;
      }
      const t = ev_t[i];
      const list = ActiveList();
      const p = LowerBound(list, i);
      const prev_t = p > 0 ? ev_t[list[p - 1]] : -1;
      const node = events[i].node;
      const html = [];
      for (const n of order) {
        html.push(`<div class="role${n === node ? ' current' : ''}" data-role="${esc(n)}"><h3>${esc(n)}</h3><table>`);
        let unsampled = 0;
        for (const row of by_node.get(n)) {
          const v = row.At(t), was = prev_t >= 0 ? row.At(prev_t) : v;
          if (v === '\u2013') { unsampled++; continue; }  // no sample yet at this time
          html.push(`<tr class="${v !== was ? 'changed' : ''}"><td class="k">${esc(row.name)}<span class="l">${esc(row.labels)}</span></td><td class="v">${esc(v)}</td></tr>`);
        }
        html.push('</table>');
        if (unsampled) html.push(`<div class="none">${unsampled} more series without a sample yet</div>`);
        html.push('</div>');
      }
      if (silent.length) html.push(`<p class="none">no state series: ${esc(silent.join(', '))}</p>`);
      box.innerHTML = html.join('');
    }
    listeners.push(Render);
    return { Render };
  })();

  // ================================================================ charts (uPlot)
  const Charts = (() => {
    const charts = [];
    const end_s = end_ns / 1e9;
    const SERIES_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f',
      '#edc948', '#17becf', '#e15759', '#8c564b', '#bcbd22', '#7f7f7f'];

    function NoData(fig, why = '') {
      fig.querySelector('.chart-body').innerHTML =
        `<div class="no-data">no samples in this run${why ? ' (' + esc(why) + ')' : ''}</div>`;
      fig.dataset.samples = '0';
    }
    const outside = () => (ops_outside ? `${ops_outside} operation(s) have times outside the run` : '');

    // A red line at the current event's time, drawn over the plot.
    const CursorHook = u => {
      if (!n_events) return;
      const x = u.valToPos(ev_t[current] / 1e9, 'x', true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = current === failed_event ? FAILED : 'rgba(207, 34, 46, 0.75)';
      ctx.lineWidth = 1.5 * dpr();
      ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      ctx.restore();
    };

    // series: [{label, colour, ...uPlot series options}], data: [xs, ys...] aligned.
    function Make(fig, series, data, y_label, extra = {}) {
      const body = fig.querySelector('.chart-body');
      const opts = {
        width: Math.max(300, body.clientWidth || fig.clientWidth - 16),
        height: 210,
        scales: { x: { time: false } },
        axes: [
          { label: 'sim s', labelSize: 18, size: 34 },
          { label: y_label, labelSize: 18, size: 56 },
        ],
        series: [{ label: 'sim s', value: (u, v) => (v == null ? '\u2013' : v.toFixed(3)) }].concat(series.map((s, k) => ({
          stroke: s.colour || SERIES_COLOURS[k % SERIES_COLOURS.length],
          width: 1.5,
          ...s,
        }))),
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        hooks: { draw: [CursorHook] },
        ...extra,
      };
      const u = new uPlot(opts, data, body);
      fig.dataset.samples = String(data[0].length);
      charts.push({ u, body });
      return u;
    }

    // Aligns step series (each [[t_ns, v], ...], sampled on change) on the union of their times,
    // holding each series' last value; adds the run's start and end so every chart spans the run.
    function AlignStepSeries(list) {
      const xs = new Set([0, end_ns]);
      for (const pts of list) for (const p of pts) xs.add(p[0]);
      const x = [...xs].sort((a, b) => a - b);
      const ys = list.map(pts => {
        const out = new Array(x.length).fill(null);
        let k = -1;
        for (let j = 0; j < x.length; j++) {
          while (k + 1 < pts.length && pts[k + 1][0] <= x[j]) k++;
          out[j] = k >= 0 ? pts[k][1] : null;
        }
        return out;
      });
      return [x.map(v => v / 1e9), ...ys];
    }
    const Stepped = () => ({ paths: uPlot.paths.stepped({ align: 1 }), spanGaps: false });
    // A series' legend name: its node, then its other label values.
    const Label = (m, skip) => {
      const l = m.labels || {};
      const rest = Object.entries(l).filter(([k]) => k !== 'node' && !skip.includes(k)).map(([, v]) => v);
      return [l.node, ...rest].filter(v => v !== undefined && v !== '').join(' ');
    };

    function Latency() {
      const fig = $('chart-latency');
      const done = ops_in_run.filter(o => o.complete_ns >= 0).sort((a, b) => a.invoke_ns - b.invoke_ns);
      if (!done.length) return NoData(fig, outside());
      // One series per type for ok operations, one for failed or indeterminate ones.
      const groups = [...new Set(done.filter(o => o.outcome === 'ok').map(o => o.type))];
      const bad = done.some(o => o.outcome !== 'ok');
      const x = [0, ...done.map(o => o.invoke_ns / 1e9), end_s];
      const ys = groups.map(() => [null]);
      const ys_bad = [null];
      for (const o of done) {
        const ms = (o.complete_ns - o.invoke_ns) / 1e6;
        groups.forEach((g, k) => ys[k].push(o.outcome === 'ok' && o.type === g ? ms : null));
        ys_bad.push(o.outcome !== 'ok' ? ms : null);
      }
      ys.forEach(y => y.push(null));
      ys_bad.push(null);
      const Points = (label, colour) => ({
        label, colour, paths: () => null, points: { show: true, size: 7, fill: colour, stroke: colour },
        value: (u, v) => (v == null ? '\u2013' : v.toFixed(1) + ' ms'),
      });
      const series = groups.map((g, k) => Points(g, SERIES_COLOURS[k % SERIES_COLOURS.length]));
      const data = [x, ...ys];
      if (bad) { series.push(Points('fail / info', FAILED)); data.push(ys_bad); }
      Make(fig, series, data, 'latency ms');
    }

    function Throughput() {
      const fig = $('chart-throughput');
      const done = ops_in_run.filter(o => o.complete_ns >= 0);
      if (!done.length) return NoData(fig, outside());
      const BUCKET_NS = 100e6;
      const n = Math.floor(end_ns / BUCKET_NS) + 1;
      const all = new Array(n).fill(0), bad = new Array(n).fill(0);
      for (const o of done) {
        const b = Math.min(n - 1, Math.floor(o.complete_ns / BUCKET_NS));
        all[b]++;
        if (o.outcome !== 'ok') bad[b]++;
      }
      const x = all.map((_, b) => (b * BUCKET_NS) / 1e9);
      const bars = uPlot.paths.bars({ size: [0.9, 40], align: 1 });
      Make(fig, [
        { label: 'completed', colour: '#4e79a7', fill: 'rgba(78, 121, 167, 0.55)', paths: bars, points: { show: false } },
        { label: 'of which fail / info', colour: FAILED, fill: 'rgba(207, 34, 46, 0.6)', paths: bars, points: { show: false } },
      ], [x, all, bad], 'ops / 100 ms');
    }

    function TsafeLag() {
      const fig = $('chart-tsafe');
      const named = metrics.filter(m => /tt_lag|tsafe/i.test(m.name));
      let list = named.filter(m => /lag/i.test(m.name) && (m.points || []).length);
      let series_pts = list.map(m => m.points);
      // Without a lag series, derive the lag from absolute tSafe series (physical ms) against the
      // TSO's clock: lag = (the TSO's physical ms at t) - tSafe, sampled every 20 ms.
      if (!list.length) {
        const tso = metrics.find(m => /tso_physical_ms/.test(m.name) && (m.points || []).length);
        const abs = named.filter(m => !/lag/i.test(m.name) && (m.points || []).length);
        if (tso && abs.length) {
          const base_ms = tso.points[0][1] - tso.points[0][0] / 1e6;
          list = abs;
          series_pts = abs.map(m => {
            const out = [];
            let k = -1;
            for (let t = m.points[0][0]; t <= end_ns; t += 20e6) {
              while (k + 1 < m.points.length && m.points[k + 1][0] <= t) k++;
              out.push([t, Math.max(0, base_ms + t / 1e6 - m.points[k][1])]);
            }
            return out;
          });
        }
      }
      if (!list.length) return NoData(fig);
      const data = AlignStepSeries(series_pts);
      const Short = m => Label(m, []).replace(/by-dev-rootcoord-/g, '') || m.name;
      Make(fig, list.map(m => ({ label: Short(m), ...Stepped() })), data, 'lag ms');
    }

    // Segment counts by state: the series with a segment_state label, summed per (node, state)
    // over their other labels (level, channel); a per-segment state-set (a segment_id label) is
    // the state panel's. A line that stays 0 starts hidden (click its legend entry to show it).
    function Segments() {
      const fig = $('chart-segments');
      const list = metrics.filter(m => m.labels && m.labels.segment_state !== undefined &&
        m.labels.segment_id === undefined && (m.points || []).length);
      if (!list.length) return NoData(fig);
      const groups = new Map();
      list.forEach((m, k) => {
        const key = `${m.labels.node || m.name} ${m.labels.segment_state}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(k + 1);  // its column in the aligned data
      });
      const all = AlignStepSeries(list.map(m => m.points));
      const x = all[0];
      const data = [x];
      const series = [];
      for (const [key, columns] of groups) {
        const sum = new Array(x.length).fill(null);
        for (const k of columns) all[k].forEach((v, t) => { if (v != null) sum[t] = (sum[t] || 0) + v; });
        data.push(sum);
        series.push({ label: key, show: sum.some(v => v), ...Stepped() });
      }
      Make(fig, series, data, 'segments');
    }

    function Build() {
      for (const f of [Latency, Throughput, TsafeLag, Segments]) {
        try { f(); } catch (err) {  // one chart's bad data must not take the page down
          console.warn('simvus report: chart failed', err);
        }
      }
    }
    function Resize() {
      for (const { u, body } of charts) u.setSize({ width: Math.max(300, body.clientWidth), height: 210 });
    }
    listeners.push(() => { for (const { u } of charts) u.redraw(false); });
    return { Build, Resize };
  })();

  // ================================================================ step-through controls
  let play_timer = 0;
  function SetPlaying(on) {
    clearInterval(play_timer);
    play_timer = 0;
    $('btn-play').classList.toggle('active', on);
    $('btn-play').innerHTML = on ? '&#x25A0; pause' : '&#x25B6; play';
    if (!on) return;
    play_timer = setInterval(() => {
      const list = ActiveList();
      if (!list.length || current >= list[list.length - 1]) { SetPlaying(false); return; }
      Step(1);
    }, 700);
  }
  const First = () => { const l = ActiveList(); if (l.length) SetCurrent(l[0], { reveal: true }); };
  const Last = () => { const l = ActiveList(); if (l.length) SetCurrent(l[l.length - 1], { reveal: true }); };
  $('btn-first').addEventListener('click', First);
  $('btn-prev').addEventListener('click', () => Step(-1));
  $('btn-next').addEventListener('click', () => Step(1));
  $('btn-last').addEventListener('click', Last);
  $('btn-play').addEventListener('click', () => SetPlaying(!play_timer));
  const detail_box = $('include-detail');
  detail_box.checked = include_detail;
  detail_box.addEventListener('change', () => { include_detail = detail_box.checked || !step_list.length; SetCurrent(current); });
  document.addEventListener('keydown', ev => {
    const tag = ev.target && ev.target.tagName;
    if (tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && ev.target.type !== 'checkbox')) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const keys = {
      ArrowRight: () => Step(1), j: () => Step(1), ArrowLeft: () => Step(-1), k: () => Step(-1),
      Home: First, End: Last, p: () => SetPlaying(!play_timer),
    };
    const f = keys[ev.key];
    if (!f) return;
    ev.preventDefault();
    if (ev.key !== 'p') SetPlaying(false);
    f();
  });

  // ================================================================ start
  RenderHeader();
  Charts.Build();
  Sequence.Rebuild();
  if (n_events) {
    SetCurrent(current, { reveal: true });
  } else {
    RenderCurrent(0);
    Timeline.Draw();
    StatePanel.Render(0);
  }
  let resize_frame = 0;
  window.addEventListener('resize', () => {
    if (resize_frame) return;
    resize_frame = requestAnimationFrame(() => {
      resize_frame = 0;
      Timeline.Draw();
      Sequence.Draw();
      Charts.Resize();
    });
  });

  window.simvusReport = {
    ready: true,
    init_ms: performance.now() - t_start_ms,
    stepIndex: () => current,                 // index into events of the current event
    step: delta => Step(delta),               // moves in the step list; returns the new index
    eventCount: () => n_events,
    stepCount: () => ActiveList().length,
    failedEvent: () => failed_event,
    currentText: () => $('current-text').textContent,
    goTo: i => SetCurrent(i, { reveal: true }),
  };
})();
