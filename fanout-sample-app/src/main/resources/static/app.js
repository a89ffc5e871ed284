// The sample app's page: a live market board, a chat room over /fanout/client.js, and the hub's metrics with a
// live chart drawn from /actuator/prometheus.
import { connect, FanoutMessageEvent } from '/fanout/client.js';

const METRICS_INTERVAL_MS = 1000;
const CHART_POINTS = 60;
const TREND_POINTS = 40;
const CHAT_LOG_LIMIT = 200;
const DEFAULT_SUBSCRIBED = 3;
const STORAGE_SYMBOLS = 'fanout.sample.symbols';
const STORAGE_USER = 'fanout.sample.user';

const $ = (selector, root = document) => root.querySelector(selector);

const priceFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const changeFormat = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero',
});
const percentFormat = new Intl.NumberFormat(undefined, {
  style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero',
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const hub = connect();
window.fanoutClient = hub;

function readStorage(key, fallback) {
  try {
    const value = localStorage.getItem(key);
    return value === null ? fallback : JSON.parse(value);
  } catch {
    return fallback;
  }
}

function writeStorage(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage may be unavailable (private mode); the page works without it
  }
}

/* ---------- connection status ---------- */

const status = $('#status');
const statusText = $('#status-text');
let reconnects = 0;

function showStatus(state, text) {
  status.dataset.state = state;
  statusText.textContent = text;
}

hub.addEventListener('open', (event) => {
  if (event instanceof FanoutMessageEvent) {
    return;
  }
  if (event.detail.reconnected) {
    reconnects += 1;
    status.dataset.reconnects = String(reconnects);
  }
  showStatus('open', reconnects > 0 ? `Live · reconnected ${reconnects}×` : 'Live');
});

hub.addEventListener('close', (event) => {
  if (event instanceof FanoutMessageEvent) {
    return;
  }
  status.dataset.lastCloseCode = String(event.detail.code);
  if (!event.detail.willReconnect) {
    showStatus('closed', `Disconnected (${event.detail.code})`);
  }
});

hub.addEventListener('reconnecting', (event) => {
  if (event instanceof FanoutMessageEvent) {
    return;
  }
  const seconds = (event.detail.delay / 1000).toFixed(1);
  showStatus('reconnecting', `Reconnecting in ${seconds}s · attempt ${event.detail.attempt}`);
});

/* ---------- market board ---------- */

const symbolBox = $('#symbols');
const priceRows = $('#price-rows');
const rows = new Map();

function sparkline(points) {
  if (points.length < 2) {
    return '';
  }
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min || 1;
  const step = 100 / (TREND_POINTS - 1);
  const offset = TREND_POINTS - points.length;
  return points
    .map((value, index) => `${((offset + index) * step).toFixed(1)},${(28 - ((value - min) / span) * 24).toFixed(1)}`)
    .join(' ');
}

function createRow(symbol) {
  const row = document.createElement('tr');
  row.dataset.symbol = symbol;
  row.classList.add('idle');
  row.innerHTML = `
    <th scope="row" class="sym"></th>
    <td class="num price" data-field="price">—</td>
    <td class="num change" data-field="change">—</td>
    <td class="trend-col"><svg class="trend" viewBox="0 0 100 32" preserveAspectRatio="none" aria-hidden="true">
      <polyline points=""></polyline></svg></td>
    <td class="num time-col muted" data-field="updated">—</td>`;
  $('.sym', row).textContent = symbol;
  priceRows.append(row);
  const state = { row, open: null, last: null, points: [] };
  rows.set(symbol, state);
  return state;
}

function flash(element, direction) {
  element.classList.remove('flash-up', 'flash-down');
  void element.offsetWidth;
  element.classList.add(direction > 0 ? 'flash-up' : 'flash-down');
}

function renderPrice(symbol, payload) {
  const state = rows.get(symbol) ?? createRow(symbol);
  const price = Number(payload?.price);
  if (!Number.isFinite(price)) {
    return;
  }
  const open = Number.isFinite(Number(payload?.open)) ? Number(payload.open) : (state.open ?? price);
  state.open = open;
  const direction = state.last === null ? 0 : Math.sign(price - state.last);
  state.last = price;
  state.points.push(price);
  if (state.points.length > TREND_POINTS) {
    state.points.shift();
  }
  const { row } = state;
  const change = price - open;
  row.classList.remove('idle');
  row.dataset.direction = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  $('[data-field="price"]', row).textContent = priceFormat.format(price);
  $('[data-field="change"]', row).textContent = open === 0
    ? changeFormat.format(change)
    : `${changeFormat.format(change)} (${percentFormat.format(change / open)})`;
  $('polyline', row).setAttribute('points', sparkline(state.points));
  const when = Number(payload?.timestamp);
  $('[data-field="updated"]', row).textContent = timeFormat.format(Number.isFinite(when) ? new Date(when) : new Date());
  if (direction !== 0) {
    flash(row, direction);
  }
}

function onPrice(event) {
  const symbol = event.type.slice('prices.'.length);
  renderPrice(symbol, event.payload);
}

function setSubscribed(symbol, subscribed) {
  const topic = `prices.${symbol}`;
  const state = rows.get(symbol) ?? createRow(symbol);
  state.row.classList.toggle('unsubscribed', !subscribed);
  if (subscribed) {
    hub.addEventListener(topic, onPrice);
    hub.subscribe(topic);
  } else {
    hub.unsubscribe(topic);
    hub.removeEventListener(topic, onPrice);
  }
}

function saveSelection() {
  const selected = [...symbolBox.querySelectorAll('input:checked')].map((input) => input.dataset.symbol);
  writeStorage(STORAGE_SYMBOLS, selected);
}

function buildBoard(symbols) {
  const saved = readStorage(STORAGE_SYMBOLS, symbols.slice(0, DEFAULT_SUBSCRIBED));
  const template = $('#symbol-toggle');
  for (const symbol of symbols) {
    const toggle = template.content.firstElementChild.cloneNode(true);
    const input = $('input', toggle);
    input.dataset.symbol = symbol;
    input.id = `symbol-${symbol}`;
    input.checked = saved.includes(symbol);
    $('.toggle-label', toggle).textContent = symbol;
    input.addEventListener('change', () => {
      setSubscribed(symbol, input.checked);
      saveSelection();
    });
    symbolBox.append(toggle);
    createRow(symbol);
    setSubscribed(symbol, input.checked);
  }
}

async function loadSymbols() {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch('/api/symbols', { headers: { Accept: 'application/json' } });
      if (response.ok) {
        return await response.json();
      }
    } catch {
      // the server may be restarting; retried below
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
  }
}

/* ---------- chat ---------- */

const chatLog = $('#chat-log');
const chatForm = $('#chat-form');
const chatUser = $('#chat-user');
const chatInput = $('#chat-input');
const chatNotice = $('#chat-notice');

chatUser.value = readStorage(STORAGE_USER, `guest-${Math.floor(1000 + Math.random() * 9000)}`);
chatUser.addEventListener('change', () => writeStorage(STORAGE_USER, chatUser.value.trim()));

function notice(text) {
  chatNotice.textContent = text;
  chatNotice.hidden = !text;
}

function appendChat(payload) {
  const user = typeof payload?.user === 'string' ? payload.user : '';
  const text = typeof payload?.text === 'string' ? payload.text : '';
  if (!user || !text) {
    return;
  }
  $('.chat-empty', chatLog)?.remove();
  const item = document.createElement('li');
  item.className = 'chat-message';
  item.dataset.user = user;
  if (user === chatUser.value.trim()) {
    item.classList.add('mine');
  }
  const meta = document.createElement('div');
  meta.className = 'chat-meta';
  const who = document.createElement('span');
  who.className = 'chat-user';
  who.textContent = user;
  const when = document.createElement('time');
  const sentAt = Number(payload.sentAt);
  when.textContent = timeFormat.format(Number.isFinite(sentAt) ? new Date(sentAt) : new Date());
  meta.append(who, when);
  const body = document.createElement('p');
  body.className = 'chat-text';
  body.textContent = text;
  item.append(meta, body);
  const atBottom = chatLog.scrollHeight - chatLog.scrollTop - chatLog.clientHeight < 40;
  chatLog.append(item);
  while (chatLog.children.length > CHAT_LOG_LIMIT) {
    chatLog.firstElementChild.remove();
  }
  if (atBottom || item.classList.contains('mine')) {
    chatLog.scrollTop = chatLog.scrollHeight;
  }
}

hub.addEventListener('chat', (event) => appendChat(event.payload));
hub.subscribe('chat');

chatForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const user = chatUser.value.trim();
  const text = chatInput.value.trim();
  if (!user || !text) {
    notice(!user ? 'Enter a name first.' : 'Write a message first.');
    return;
  }
  writeStorage(STORAGE_USER, user);
  chatSequence += 1;
  if (hub.send('chat', { user, text }, `chat-${chatSequence}`)) {
    notice(hub.state === 'open' ? '' : 'Offline: the message will be sent when the connection is back.');
    chatInput.value = '';
  } else {
    notice('Not sent: too many messages are waiting for the connection.');
  }
  chatInput.focus();
});

hub.addEventListener('open', () => notice(''));

let chatSequence = 0;

hub.addEventListener('__error', (event) => {
  if (event instanceof FanoutMessageEvent && event.id?.startsWith('chat-')) {
    notice(`Your message was refused: ${event.payload?.message ?? 'no reason given'} (${event.payload?.code ?? '?'})`);
    chatNotice.dataset.code = event.payload?.code ?? '';
  }
});

/* ---------- account and private inbox ---------- */

const inbox = $('#inbox');
const inboxLog = $('#inbox-log');
const inboxState = $('#inbox-state');

function showInboxState(state, text) {
  inboxState.dataset.state = state;
  inboxState.textContent = text;
}

async function loadAccount() {
  try {
    const response = await fetch('/api/me', { headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : { user: null, inbox: null };
  } catch {
    return { user: null, inbox: null };
  }
}

loadAccount().then((account) => {
  if (!account.user) {
    return;
  }
  $('#account').dataset.user = account.user;
  $('#account-name').textContent = `Signed in as ${account.user}`;
  const action = $('#account-action');
  action.href = '/logout';
  action.textContent = 'Sign out';
  inbox.hidden = false;
  $('#inbox-topic').textContent = account.inbox;
  hub.addEventListener(account.inbox, (event) => {
    const item = document.createElement('li');
    item.className = 'chat-message';
    item.textContent = typeof event.payload?.text === 'string' ? event.payload.text : JSON.stringify(event.payload);
    inboxLog.append(item);
  });
  hub.subscribe(account.inbox).then(
    () => showInboxState('live', 'Live: messages to you appear here.'),
    (error) => showInboxState('refused', `Refused: ${error.message} (${error.code})`));
});

hub.addEventListener('subscriptionerror', (event) => {
  if (event.detail.topic === $('#inbox-topic').textContent) {
    showInboxState('refused', `Refused: ${event.detail.message} (${event.detail.code})`);
  }
});

/* ---------- hub metrics and live chart ---------- */

const counterFormat = new Intl.NumberFormat();
const rateFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const topicList = $('#stat-topics');
const chart = $('#live-chart');
const chartHistory = [];

/**
 * Parses the Prometheus text format into samples: `{name, labels, value}` with `labels` the raw `{…}` text.
 *
 * @param {string} text the body of `/actuator/prometheus`
 * @returns {{name: string, labels: string, value: number}[]} the samples
 */
function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match !== null) {
      const value = Number(match[3]);
      if (Number.isFinite(value)) {
        samples.push({ name: match[1], labels: match[2] ?? '', value });
      }
    }
  }
  return samples;
}

/** The sum of every series of a metric, optionally only those whose labels contain `label`. */
function total(samples, name, label = '') {
  return samples.filter((sample) => sample.name === name && sample.labels.includes(label))
    .reduce((sum, sample) => sum + sample.value, 0);
}

function figuresOf(samples) {
  return {
    spokes: total(samples, 'fanout_spokes_active'),
    dispatched: total(samples, 'fanout_events_dispatched_total'),
    delivered: total(samples, 'fanout_events_delivered_total'),
    received: total(samples, 'fanout_events_received_total'),
    slowConsumers: total(samples, 'fanout_spokes_closed_total', 'code="1013"'),
    invalidChat: total(samples, 'sample_chat_invalid_total'),
  };
}

function renderCounters(figures) {
  for (const element of document.querySelectorAll('[data-stat]')) {
    const value = figures[element.dataset.stat];
    const text = typeof value === 'number' ? counterFormat.format(value) : '–';
    if (element.textContent !== text) {
      element.textContent = text;
      element.dataset.value = String(value);
    }
  }
}

/** Points of a polyline in the chart's 300 × 90 box, the newest at the right, scaled to `max`. */
function chartPoints(values, max) {
  const step = 300 / (CHART_POINTS - 1);
  const offset = CHART_POINTS - values.length;
  return values.map((value, i) => `${((offset + i) * step).toFixed(1)},${(88 - (value / max) * 84).toFixed(1)}`)
    .join(' ');
}

function renderChart(figures, atMillis) {
  const previous = chartHistory.at(-1);
  const seconds = previous === undefined ? 0 : (atMillis - previous.at) / 1000;
  const rate = seconds > 0 ? Math.max(0, figures.dispatched - previous.dispatched) / seconds : 0;
  chartHistory.push({ at: atMillis, dispatched: figures.dispatched, rate, spokes: figures.spokes });
  if (chartHistory.length > CHART_POINTS) {
    chartHistory.shift();
  }
  const rates = chartHistory.map((point) => point.rate);
  const spokes = chartHistory.map((point) => point.spokes);
  $('#chart-events').setAttribute('points', chartPoints(rates, Math.max(1, ...rates)));
  $('#chart-spokes').setAttribute('points', chartPoints(spokes, Math.max(1, ...spokes)));
  chart.dataset.eventsRate = rate.toFixed(2);
  chart.dataset.spokes = String(figures.spokes);
  $('#chart-events-now').textContent = rateFormat.format(rate);
  $('#chart-spokes-now').textContent = counterFormat.format(figures.spokes);
}

async function subscriberCounts(topics) {
  return Promise.all(topics.map(async (topic) => {
    const response = await fetch(`/actuator/fanout/${topic.split('/').map(encodeURIComponent).join('/')}`,
      { headers: { Accept: 'application/json' }, cache: 'no-store' });
    return response.ok ? [topic, (await response.json()).subscribers] : [topic, undefined];
  }));
}

function renderTopics(counts) {
  const shown = counts.filter(([, count]) => typeof count === 'number' && count > 0);
  topicList.replaceChildren(...(shown.length === 0
    ? [Object.assign(document.createElement('li'), { className: 'muted', textContent: 'No subscriptions' })]
    : shown.map(([topic, count]) => {
      const item = document.createElement('li');
      item.dataset.topic = topic;
      const name = document.createElement('code');
      name.textContent = topic;
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(count);
      badge.title = `${count} subscriber${count === 1 ? '' : 's'} on this node`;
      item.append(name, badge);
      return item;
    })));
}

async function pollMetrics() {
  try {
    const response = await fetch('/actuator/prometheus', { headers: { Accept: 'text/plain' }, cache: 'no-store' });
    if (response.ok) {
      const figures = figuresOf(parsePrometheus(await response.text()));
      renderCounters(figures);
      renderChart(figures, performance.now());
      renderTopics(await subscriberCounts(hub.subscriptions));
      document.body.classList.remove('stats-stale');
    } else {
      document.body.classList.add('stats-stale');
    }
  } catch {
    document.body.classList.add('stats-stale');
  } finally {
    setTimeout(pollMetrics, METRICS_INTERVAL_MS);
  }
}

$('#publish-origin').textContent = location.origin;
buildBoard(await loadSymbols());
pollMetrics();
