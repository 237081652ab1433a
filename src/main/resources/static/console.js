// The live console: every link with its state and a small chart of its traffic; the chosen
// link's frames as they arrive, its controls, and a box to send to it. Frames are buffered
// as they come and drawn once per animation frame, and the list is capped, so the page
// stays responsive however fast the upstream talks.
(() => {
  'use strict';
  const CAP = 500;
  // five minutes of one sample a second
  const SAMPLES = 300;
  const $ = (id) => document.getElementById(id);
  // with tokens set on the bridge, open the console as /#token=<token>: the fragment never leaves the browser;
  // #link=<name> chooses the link to watch
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  const links = new Map();
  let selected = null;
  let stream = null;
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

  function listen(name) {
    if (stream) stream.close();
    const path = `links/${encodeURIComponent(name)}/stream`;
    stream = new EventSource(token ? `${path}?access_token=${encodeURIComponent(token)}` : path);
    stream.addEventListener('connection', (e) => showState(JSON.parse(e.data)));
    stream.addEventListener('frame', (e) => keep({ id: e.lastEventId, text: e.data, at: new Date() }));
    stream.addEventListener('frame-base64', (e) => keep({ id: e.lastEventId, bytes: fromBase64(e.data), binary: true, at: new Date() }));
    stream.addEventListener('gap', (e) => {
      const gap = JSON.parse(e.data);
      $('error').textContent = `missed ${gap.missed} frames (${gap.reason})`;
    });
    stream.onerror = () => showState({ state: 'UNKNOWN', error: 'the bridge is not reachable; retrying' });
  }

  // only the newest CAP can ever be drawn: keep no more, even while a hidden tab draws nothing
  const keep = (frame) => {
    arrivals++;
    pending.push(frame);
    if (pending.length > 2 * CAP) pending = pending.slice(-CAP);
  };

  function select(name) {
    if (name === selected) return;
    selected = name;
    fragment.set('link', name);
    history.replaceState(null, '', `#${fragment}`);
    $('link').textContent = name;
    pending = [];
    shown = [];
    list.replaceChildren();
    for (const [each, link] of links) link.card.setAttribute('aria-selected', String(each === name));
    listen(name);
    refresh();
  }

  function card(name) {
    const li = document.createElement('li');
    li.dataset.link = name;
    li.setAttribute('role', 'option');
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    const state = document.createElement('span');
    state.className = 'state';
    const chart = document.createElement('canvas');
    chart.width = 240 * devicePixelRatio;
    chart.height = 48 * devicePixelRatio;
    const rates = document.createElement('span');
    rates.className = 'rates';
    li.append(label, state, chart, rates);
    li.addEventListener('click', () => select(name));
    $('links').append(li);
    return { card: li, state, chart, rates, in: [], out: [], marks: [], framesIn: null, framesOut: null, last: null };
  }

  // one sample a second of each link: frames/s in and out, and where its state changed
  function sample(status) {
    let link = links.get(status.name);
    if (!link) {
      link = card(status.name);
      links.set(status.name, link);
    }
    if (link.framesIn !== null) {
      link.in.push(Math.max(0, status.framesIn - link.framesIn));
      link.out.push(Math.max(0, status.framesOut - link.framesOut));
      link.marks = link.marks.map((mark) => ({ ...mark, at: mark.at + 1 }));
    }
    if (link.last !== null && link.last !== status.state) link.marks.push({ at: 0, state: status.state });
    link.framesIn = status.framesIn;
    link.framesOut = status.framesOut;
    link.last = status.state;
    link.in = link.in.slice(-SAMPLES);
    link.out = link.out.slice(-SAMPLES);
    link.marks = link.marks.filter((mark) => mark.at < SAMPLES);
    link.state.textContent = status.state;
    link.state.dataset.state = status.state;
    link.rates.textContent = `${link.in.at(-1) ?? 0} in/s · ${link.out.at(-1) ?? 0} out/s · ${status.host}:${status.port}`;
    chart(link);
  }

  const MARK_COLOURS = { CONNECTED: '#22863a', CONNECTING: '#b08800', DISCONNECTED: '#cb2431', STOPPED: '#cb2431' };

  function chart(link) {
    const canvas = link.chart;
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    g.clearRect(0, 0, w, h);
    const x = (age) => w - 1 - (age * (w - 1)) / (SAMPLES - 1);
    g.lineWidth = devicePixelRatio;
    for (const mark of link.marks) {
      g.strokeStyle = MARK_COLOURS[mark.state] ?? '#6a737d';
      g.beginPath();
      g.moveTo(x(mark.at), 0);
      g.lineTo(x(mark.at), h);
      g.stroke();
    }
    const top = Math.max(1, ...link.in, ...link.out);
    for (const [samples, colour] of [[link.in, '#0366d6'], [link.out, '#e36209']]) {
      g.strokeStyle = colour;
      g.beginPath();
      samples.forEach((value, i) => {
        const age = samples.length - 1 - i;
        const y = h - 1 - (value * (h - 2)) / top;
        if (i === 0) g.moveTo(x(age), y);
        else g.lineTo(x(age), y);
      });
      g.stroke();
    }
    canvas.dataset.samples = link.in.length;
    canvas.dataset.marks = link.marks.length;
  }

  async function refresh() {
    try {
      const response = await fetch('api/links', { headers: auth });
      if (!response.ok) {
        $('error').textContent = await problem(response);
        return;
      }
      const all = (await response.json()).links;
      all.forEach(sample);
      if (selected === null && all.length) {
        const wanted = fragment.get('link');
        const first = all.find((link) => link.name === wanted) ?? all.find((link) => link.name === 'default') ?? all[0];
        select(first.name);
        return;
      }
      const status = all.find((link) => link.name === selected);
      if (!status) return;
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
      const response = await fetch(`api/links/${encodeURIComponent(selected)}/${action}`, { method: 'POST', headers: auth });
      $('send-result').textContent = response.ok ? '' : await problem(response);
      refresh();
    });
  }

  $('send').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { data: $('payload').value, encoding: $('send-encoding').value };
    if (body.encoding === 'hex') body.data = body.data.replace(/\s+/g, '');
    const response = await fetch(`links/${encodeURIComponent(selected)}/send`, {
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
