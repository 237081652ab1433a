// The live console: the link's state, the frames as they arrive, a box to send.
// Frames are buffered as they come and drawn once per animation frame, and the list is
// capped, so the page stays responsive however fast the upstream talks.
(() => {
  'use strict';
  const CAP = 500;
  const $ = (id) => document.getElementById(id);
  // with tokens set on the bridge, open the console as /#token=<token>: the fragment never leaves the browser
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  const list = $('frames');
  let shown = [];
  let pending = [];
  let view = 'text';
  let arrivals = 0;
  $('cap').textContent = CAP;

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const utf8 = new TextEncoder();
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const printable = (bytes) => Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : '·').join('');

  function row(frame) {
    const li = document.createElement('li');
    if (frame.binary) li.className = 'binary';
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = frame.at.toISOString().substring(11, 23);
    const id = document.createElement('span');
    id.className = 'id';
    id.textContent = frame.id;
    const data = document.createElement('span');
    data.className = 'data';
    data.textContent = view === 'hex' ? hex(frame.bytes ?? utf8.encode(frame.text))
      : (frame.text ?? printable(frame.bytes));
    li.append(time, id, data);
    return li;
  }

  function draw() {
    if (pending.length) {
      const newest = pending.slice(-CAP).reverse();
      pending = [];
      const rows = document.createDocumentFragment();
      newest.forEach((frame) => rows.append(row(frame)));
      list.prepend(rows);
      while (list.childElementCount > CAP) list.lastElementChild.remove();
      shown = newest.concat(shown).slice(0, CAP);
    }
    requestAnimationFrame(draw);
  }
  requestAnimationFrame(draw);

  function showState(connection) {
    $('state').textContent = connection.state;
    $('state').dataset.state = connection.state;
    $('error').textContent = connection.error ? connection.error : '';
  }

  const stream = new EventSource(token ? `stream?access_token=${encodeURIComponent(token)}` : 'stream');
  stream.addEventListener('connection', (e) => showState(JSON.parse(e.data)));
  // only the newest CAP can ever be drawn: keep no more, even while a hidden tab draws nothing
  const keep = (frame) => {
    arrivals++;
    pending.push(frame);
    if (pending.length > 2 * CAP) pending = pending.slice(-CAP);
  };
  stream.addEventListener('frame', (e) => keep({ id: e.lastEventId, text: e.data, at: new Date() }));
  stream.addEventListener('frame-base64', (e) => keep({ id: e.lastEventId, bytes: fromBase64(e.data), binary: true, at: new Date() }));
  stream.addEventListener('gap', (e) => {
    const gap = JSON.parse(e.data);
    $('error').textContent = `missed ${gap.missed} frames (${gap.reason})`;
  });
  stream.onerror = () => showState({ state: 'UNKNOWN', error: 'the bridge is not reachable; retrying' });

  async function refresh() {
    try {
      const status = await (await fetch('api/connection', { headers: auth })).json();
      $('upstream').textContent = `${status.host}:${status.port} · ${status.framing}`;
      $('frames-in').textContent = status.framesIn;
      $('frames-out').textContent = status.framesOut;
      $('subscribers').textContent = status.subscribers.sse + status.subscribers.websocket;
      $('dropped').textContent = status.framesDropped + status.subscriberFramesDropped;
    } catch (ignored) {
      // the stream's error handler already says the bridge is unreachable
    }
  }
  setInterval(() => { $('rate').textContent = arrivals; arrivals = 0; refresh(); }, 1000);
  refresh();

  async function problem(response) {
    try {
      const body = await response.json();
      return body.title + (body.detail ? `: ${body.detail}` : '');
    } catch (ignored) {
      return `HTTP ${response.status}`;
    }
  }

  for (const action of ['reconnect', 'stop', 'start']) {
    $(action).addEventListener('click', async () => {
      const response = await fetch(`api/connection/${action}`, { method: 'POST', headers: auth });
      $('send-result').textContent = response.ok ? '' : await problem(response);
      refresh();
    });
  }

  $('send').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { data: $('payload').value, encoding: $('send-encoding').value };
    if (body.encoding === 'hex') body.data = body.data.replace(/\s+/g, '');
    const response = await fetch('send', {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body),
    });
    $('send-result').textContent = response.ok ? `sent ${(await response.json()).bytes} bytes` : await problem(response);
  });

  for (const radio of document.querySelectorAll('input[name=view]')) {
    radio.addEventListener('change', () => {
      view = radio.value;
      list.replaceChildren(...shown.map(row));
    });
  }
  $('clear').addEventListener('click', () => { shown = []; list.replaceChildren(); });
})();
