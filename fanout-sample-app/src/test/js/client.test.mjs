// Unit tests of /fanout/client.js against a scripted WebSocket, run with `node --test` (Node 20+, no dependencies).
// Every test runs on Node's mock timers, so no test waits for real time and none depends on the machine's speed.
// The browser end-to-end test (SampleAppBrowserTests) covers the same module against the real hub.
import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import {
  FanoutClient, FanoutError, FanoutMessageEvent, ConnectionState, backoffDelay, isValidTopic, resolveHubUrl,
} from '../../../../fanout-spring-boot-starter/src/main/resources/META-INF/resources/fanout/client.js';

class ScriptedWebSocket {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    ScriptedWebSocket.instances.push(this);
  }

  static latest() {
    return ScriptedWebSocket.instances[ScriptedWebSocket.instances.length - 1];
  }

  send(text) {
    if (this.readyState !== 1) {
      throw new Error('not open');
    }
    this.sent.push(JSON.parse(text));
  }

  close(code, reason) {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }

  serverOpens() {
    this.readyState = 1;
    this.onopen?.({});
  }

  serverSends(data) {
    this.onmessage?.({ data });
  }

  serverCloses(code, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: true });
  }
}

function test(name, body) {
  nodeTest(name, { timeout: 10_000 }, (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    return body(t.mock.timers);
  });
}

function newClient(options = {}) {
  ScriptedWebSocket.instances = [];
  return new FanoutClient('ws://hub.test/fanout', {
    WebSocket: ScriptedWebSocket, random: () => 0.5, reconnectBaseDelay: 1, reconnectMaxDelay: 4, connectTimeout: 0,
    ...options,
  });
}

function recorder(client, ...types) {
  const seen = [];
  for (const type of types) {
    client.addEventListener(type, (event) => seen.push({ type, detail: event.detail }));
  }
  return seen;
}

test('backoff grows exponentially up to the cap, with full jitter', () => {
  assert.equal(backoffDelay(1, 100, 10_000, () => 0.999999), 99);
  assert.equal(backoffDelay(4, 100, 10_000, () => 0.999999), 799);
  assert.equal(backoffDelay(30, 100, 10_000, () => 0.999999), 9999);
  assert.equal(backoffDelay(5, 100, 10_000, () => 0), 0);
  assert.equal(backoffDelay(3, 100, 10_000, () => 0.5), 200);
});

test('topic validation follows the hub rule', () => {
  for (const valid of ['prices.ACME', 'chat', 'a', 'x'.repeat(256), 'ünïcode/topic:1', '_single']) {
    assert.equal(isValidTopic(valid), true, valid);
  }
  for (const invalid of ['', ' ', 'a b', 'tab\there', 'new\nline', '\u0000', '\u00a0nbsp', '__subscribe', '__',
    'x'.repeat(257), 42, null, undefined, {}]) {
    assert.equal(isValidTopic(invalid), false, JSON.stringify(invalid));
  }
});

test('subscribe and unsubscribe reject an invalid topic with TypeError', () => {
  const client = newClient();
  assert.throws(() => client.subscribe('has space'), TypeError);
  assert.throws(() => client.subscribe('__subscribe'), TypeError);
  assert.throws(() => client.unsubscribe(''), TypeError);
  assert.deepEqual(client.subscriptions, []);
  client.close();
});

test('the hub URL defaults to /fanout on the page host with a ws scheme', () => {
  assert.equal(resolveHubUrl(undefined, 'http://localhost:8080/board/index.html'), 'ws://localhost:8080/fanout');
  assert.equal(resolveHubUrl(undefined, 'https://example.com/'), 'wss://example.com/fanout');
  assert.equal(resolveHubUrl('/hub', 'https://example.com/x'), 'wss://example.com/hub');
  assert.equal(resolveHubUrl('ws://other:1/fanout', 'https://example.com/'), 'ws://other:1/fanout');
  assert.throws(() => resolveHubUrl('ftp://example.com/x'), TypeError);
});

test('subscriptions made before open are sent on open, and later ones at once', () => {
  const client = newClient();
  client.subscribe('prices.ACME');
  client.subscribe('prices.ACME');
  client.subscribe('chat');
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  client.subscribe('prices.INIT');
  client.unsubscribe('chat');
  client.unsubscribe('never');
  assert.deepEqual(socket.sent, [
    { type: '__subscribe', id: 'sub-1', payload: { topic: 'prices.ACME' } },
    { type: '__subscribe', id: 'sub-2', payload: { topic: 'chat' } },
    { type: '__subscribe', id: 'sub-3', payload: { topic: 'prices.INIT' } },
    { type: '__unsubscribe', payload: { topic: 'chat' } },
  ]);
  assert.deepEqual(client.subscriptions, ['prices.ACME', 'prices.INIT']);
  client.close();
});

test('hub events reach listeners of their type as FanoutMessageEvents; malformed messages are ignored', () => {
  const client = newClient();
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  const received = [];
  client.addEventListener('prices.ACME', (event) => received.push(event));
  for (const junk of ['not json', '[1,2]', '"text"', 'null', '{"type":""}', '{"type":7}', '{}']) {
    socket.serverSends(junk);
  }
  socket.serverSends('{"type":"prices.ACME","id":"q1","payload":{"price":12.5}}');
  socket.serverSends(new TextEncoder().encode('{"type":"prices.ACME"}').buffer);
  assert.equal(received.length, 2);
  assert.ok(received[0] instanceof FanoutMessageEvent);
  assert.equal(received[0].id, 'q1');
  assert.deepEqual(received[0].payload, { price: 12.5 });
  assert.deepEqual(received[0].detail, { type: 'prices.ACME', id: 'q1', payload: { price: 12.5 } });
  assert.equal(received[1].payload, undefined);
  assert.equal(client.state, ConnectionState.OPEN);
  client.close();
});

test('dispatchEvent sends plain objects to the hub, queues them while disconnected and rejects when full', () => {
  const client = newClient({ maxQueuedEvents: 2 });
  assert.equal(client.dispatchEvent({ type: 'chat', payload: { text: 'one' } }), true);
  assert.equal(client.send('chat', { text: 'two' }, 'id-2'), true);
  assert.equal(client.send('chat', { text: 'three' }), false);
  assert.equal(client.queuedEvents, 2);
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  client.dispatchEvent({ type: 'chat', payload: { text: 'four' } });
  assert.deepEqual(socket.sent, [
    { type: 'chat', payload: { text: 'one' } },
    { type: 'chat', id: 'id-2', payload: { text: 'two' } },
    { type: 'chat', payload: { text: 'four' } },
  ]);
  assert.throws(() => client.dispatchEvent({ type: '__subscribe' }), TypeError);
  assert.throws(() => client.dispatchEvent({ type: 'chat', id: 5 }), TypeError);
  client.close();
  assert.equal(client.send('chat', {}), false);
});

test('dispatchEvent with a DOM Event dispatches it locally', () => {
  const client = newClient();
  let heard = null;
  client.addEventListener('local', (event) => { heard = event; });
  const event = new Event('local');
  client.dispatchEvent(event);
  assert.equal(heard, event);
  assert.deepEqual(ScriptedWebSocket.latest().sent, []);
  client.close();
});

test('a lost connection reconnects with backoff and re-subscribes every active topic', (clock) => {
  const client = newClient();
  const seen = recorder(client, 'open', 'close', 'reconnecting', 'statechange');
  client.subscribe('prices.ACME');
  client.subscribe('chat');
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  client.unsubscribe('chat');
  first.serverCloses(1013, 'slow consumer');
  assert.equal(client.state, ConnectionState.RECONNECTING);
  clock.tick(0);
  const second = ScriptedWebSocket.latest();
  assert.notEqual(second, first);
  second.serverOpens();
  assert.deepEqual(second.sent, [{ type: '__subscribe', id: 'sub-3', payload: { topic: 'prices.ACME' } }]);
  assert.deepEqual(seen.map((entry) => entry.type), [
    'statechange', 'open', 'statechange', 'close', 'reconnecting', 'statechange', 'open']);
  assert.deepEqual(seen[3].detail, { code: 1013, reason: 'slow consumer', wasClean: true, willReconnect: true });
  assert.deepEqual(seen[4].detail, { attempt: 1, delay: 0 });
  assert.equal(seen[6].detail.reconnected, true);
  client.close();
});

test('consecutive failed attempts count up and the backoff delay grows', (clock) => {
  const client = newClient({ reconnectBaseDelay: 2, reconnectMaxDelay: 1000 });
  const seen = recorder(client, 'reconnecting');
  for (let i = 0; i < 3; i += 1) {
    ScriptedWebSocket.latest().serverCloses(1006);
    clock.tick(seen.at(-1).detail.delay);
  }
  assert.deepEqual(seen.map((entry) => entry.detail), [
    { attempt: 1, delay: 1 }, { attempt: 2, delay: 2 }, { attempt: 3, delay: 4 }]);
  assert.equal(ScriptedWebSocket.instances.length, 4);
  client.close();
});

test('a connection closed right after it opened counts as a failed attempt, so the backoff keeps growing', (clock) => {
  const client = newClient({ reconnectBaseDelay: 2, reconnectMaxDelay: 1000, resetBackoffAfter: 5000 });
  const seen = recorder(client, 'reconnecting');
  for (const code of [1011, 1013, 1006, 1011]) {
    ScriptedWebSocket.latest().serverOpens();
    clock.tick(4999);
    ScriptedWebSocket.latest().serverCloses(code);
    clock.tick(seen.at(-1).detail.delay);
  }
  assert.deepEqual(seen.map((entry) => entry.detail), [
    { attempt: 1, delay: 1 }, { attempt: 2, delay: 2 }, { attempt: 3, delay: 4 }, { attempt: 4, delay: 8 }]);
  client.close();
});

test('the attempt counter starts again at 1 once a connection has stayed open for resetBackoffAfter', (clock) => {
  const client = newClient({ reconnectBaseDelay: 2, reconnectMaxDelay: 1000, resetBackoffAfter: 5000 });
  const seen = recorder(client, 'reconnecting');
  ScriptedWebSocket.latest().serverCloses(1006);
  clock.tick(1);
  ScriptedWebSocket.latest().serverCloses(1006);
  clock.tick(2);
  ScriptedWebSocket.latest().serverOpens();
  clock.tick(5000);
  ScriptedWebSocket.latest().serverCloses(1001);
  assert.deepEqual(seen.map((entry) => entry.detail), [
    { attempt: 1, delay: 1 }, { attempt: 2, delay: 2 }, { attempt: 1, delay: 1 }]);
  client.close();
});

test('with resetBackoffAfter 0 every open resets the attempt counter', (clock) => {
  const client = newClient({ reconnectBaseDelay: 2, reconnectMaxDelay: 1000, resetBackoffAfter: 0 });
  const seen = recorder(client, 'reconnecting');
  ScriptedWebSocket.latest().serverCloses(1006);
  clock.tick(1);
  ScriptedWebSocket.latest().serverOpens();
  ScriptedWebSocket.latest().serverCloses(1011);
  assert.deepEqual(seen.map((entry) => entry.detail), [{ attempt: 1, delay: 1 }, { attempt: 1, delay: 1 }]);
  client.close();
});

test('close() stops reconnecting and is final', (clock) => {
  const client = newClient();
  const seen = recorder(client, 'close');
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  client.close();
  client.close();
  assert.deepEqual(socket.closedWith, { code: 1000, reason: '' });
  assert.equal(client.state, ConnectionState.CLOSED);
  clock.runAll();
  assert.equal(ScriptedWebSocket.instances.length, 1);
  assert.deepEqual(seen.map((entry) => entry.detail.willReconnect), [false]);
  assert.throws(() => newClient().close(1006), TypeError);
});

test('with reconnect disabled a lost connection is final', (clock) => {
  const client = newClient({ reconnect: false });
  ScriptedWebSocket.latest().serverOpens();
  ScriptedWebSocket.latest().serverCloses(1011, 'boom');
  clock.runAll();
  assert.equal(client.state, ConnectionState.CLOSED);
  assert.equal(ScriptedWebSocket.instances.length, 1);
});

test('a connection attempt that hangs is abandoned after connectTimeout and retried', (clock) => {
  const client = newClient({ connectTimeout: 5000 });
  const seen = recorder(client, 'close', 'reconnecting');
  const hanging = ScriptedWebSocket.latest();
  clock.tick(4999);
  assert.equal(hanging.closedWith, null);
  clock.tick(1);
  assert.notEqual(hanging.closedWith, null);
  assert.equal(seen[0].detail.reason, 'connect timeout');
  clock.tick(seen[1].detail.delay);
  assert.equal(ScriptedWebSocket.instances.length, 2);
  client.close();
});

test('invalid options are rejected with TypeError', () => {
  assert.throws(() => newClient({ reconnectBaseDelay: -1 }), TypeError);
  assert.throws(() => newClient({ maxQueuedEvents: 'many' }), TypeError);
  assert.throws(() => newClient({ resetBackoffAfter: -1 }), TypeError);
});

function ack(socket, id, topic) {
  socket.serverSends(JSON.stringify({ type: '__ack', id, payload: { topic } }));
}

function error(socket, id, topic, code, message = 'no') {
  socket.serverSends(JSON.stringify({ type: '__error', id, payload: { topic, code, message } }));
}

test('subscribe returns a promise that resolves with the topic on the hub\'s __ack', async () => {
  const client = newClient();
  const socket = ScriptedWebSocket.latest();
  const subscribed = client.subscribe('prices.ACME');
  socket.serverOpens();
  const [sent] = socket.sent;
  assert.equal(typeof sent.id, 'string');
  ack(socket, sent.id, 'prices.ACME');
  assert.deepEqual(await subscribed, { topic: 'prices.ACME' });
  assert.deepEqual(await client.subscribe('prices.ACME'), { topic: 'prices.ACME' });
  assert.equal(socket.sent.length, 1);
  client.close();
});

test('subscribe rejects with a FanoutError carrying the hub\'s code, and the topic is dropped', async () => {
  const client = newClient();
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  const subscribed = client.subscribe('user.bob.inbox');
  error(socket, socket.sent[0].id, 'user.bob.inbox', 'forbidden', 'not yours');
  await assert.rejects(subscribed, (failure) => failure instanceof FanoutError && failure.code === 'forbidden'
    && failure.message === 'not yours' && failure.topic === 'user.bob.inbox');
  assert.deepEqual(client.subscriptions, []);
  client.close();
});

test('the client generates a distinct id for every subscribe it sends', () => {
  const client = newClient();
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  for (const topic of ['a', 'b', 'c']) {
    client.subscribe(topic);
  }
  const ids = socket.sent.map((frame) => frame.id);
  assert.equal(new Set(ids).size, 3);
  client.close();
});

test('unsubscribing before the acknowledgement rejects the subscribe promise with cancelled', async () => {
  const client = newClient();
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  const subscribed = client.subscribe('news');
  const id = socket.sent[0].id;
  client.unsubscribe('news');
  ack(socket, id, 'news');
  await assert.rejects(subscribed, (failure) => failure.code === 'cancelled');
  assert.deepEqual(client.subscriptions, []);
  client.close();
});

test('a subscribe promise waits across a reconnect and settles on the new connection\'s reply', async (clock) => {
  const client = newClient();
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  const subscribed = client.subscribe('news');
  first.serverCloses(1013, 'slow consumer');
  clock.tick(0);
  const second = ScriptedWebSocket.latest();
  second.serverOpens();
  ack(first, first.sent[0].id, 'news');
  ack(second, second.sent[0].id, 'news');
  assert.deepEqual(await subscribed, { topic: 'news' });
  client.close();
});

test('a denial of a re-subscription after a reconnect is reported as a subscriptionerror event', async (clock) => {
  const client = newClient();
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  const subscribed = client.subscribe('user.alice.inbox');
  ack(first, first.sent[0].id, 'user.alice.inbox');
  await subscribed;
  const errors = [];
  client.addEventListener('subscriptionerror', (event) => errors.push(event.detail));
  first.serverCloses(1001, 'going away');
  clock.tick(0);
  const second = ScriptedWebSocket.latest();
  second.serverOpens();
  error(second, second.sent[0].id, 'user.alice.inbox', 'forbidden', 'session ended');
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof FanoutError);
  assert.equal(errors[0].code, 'forbidden');
  assert.equal(errors[0].topic, 'user.alice.inbox');
  assert.deepEqual(client.subscriptions, []);
  client.close();
});

test('replies also reach listeners of their type, so a page hears why its own event was refused', () => {
  const client = newClient();
  const socket = ScriptedWebSocket.latest();
  socket.serverOpens();
  const refusals = [];
  client.addEventListener('__error', (event) => refusals.push(event.payload.code));
  client.send('chat', { text: '' }, 'chat-1');
  error(socket, 'chat-1', 'chat', 'invalid_chat_message', 'text is blank');
  assert.deepEqual(refusals, ['invalid_chat_message']);
  client.close();
});

function ackWith(socket, id, payload) {
  socket.serverSends(JSON.stringify({ type: '__ack', id, payload }));
}

test('after a reconnect the client asks to recover from the last offset it received, and reports whether it did', (clock) => {
  const client = newClient();
  const recoveries = recorder(client, 'recovery');
  const offsets = [];
  client.addEventListener('chat', (event) => offsets.push(event.offset));
  client.subscribe('chat');
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  ackWith(first, first.sent[0].id, { topic: 'chat', epoch: 'e1', offset: 40 });
  first.serverSends(JSON.stringify({ type: 'chat', payload: 'a', offset: 41 }));
  first.serverCloses(1013, 'slow consumer');
  clock.tick(60_000);
  const second = ScriptedWebSocket.latest();
  second.serverOpens();
  assert.deepEqual(second.sent[0].payload, { topic: 'chat', since: { epoch: 'e1', offset: 41 } });
  ackWith(second, second.sent[0].id, { topic: 'chat', epoch: 'e1', offset: 43, recovered: true });
  second.serverSends(JSON.stringify({ type: 'chat', payload: 'b', offset: 42 }));
  assert.deepEqual(offsets, [41, 42]);
  assert.deepEqual(recoveries.map((entry) => entry.detail), [{ topic: 'chat', recovered: true }]);
  second.serverCloses(1006, '');
  clock.tick(60_000);
  const third = ScriptedWebSocket.latest();
  third.serverOpens();
  assert.deepEqual(third.sent[0].payload.since, { epoch: 'e1', offset: 42 },
    'a connection lost during a recovery recovers from the last event actually received');
  client.close();
});

test('a failed recovery is reported and the client starts again from the position the hub gives', (clock) => {
  const client = newClient();
  const recoveries = recorder(client, 'recovery');
  client.subscribe('chat');
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  ackWith(first, first.sent[0].id, { topic: 'chat', epoch: 'e1', offset: 5 });
  first.serverCloses(1001, 'restart');
  clock.tick(60_000);
  const second = ScriptedWebSocket.latest();
  second.serverOpens();
  ackWith(second, second.sent[0].id, { topic: 'chat', epoch: 'e2', offset: 3, recovered: false });
  second.serverCloses(1006, '');
  clock.tick(60_000);
  const third = ScriptedWebSocket.latest();
  third.serverOpens();
  assert.deepEqual(recoveries.map((entry) => entry.detail), [{ topic: 'chat', recovered: false }]);
  assert.deepEqual(third.sent[0].payload.since, { epoch: 'e2', offset: 3 });
  client.close();
});

test('a topic without history is re-subscribed without since and reported as not recovered', (clock) => {
  const client = newClient();
  const recoveries = recorder(client, 'recovery');
  client.subscribe('news');
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  ackWith(first, first.sent[0].id, { topic: 'news' });
  first.serverCloses(1006, '');
  clock.tick(60_000);
  const second = ScriptedWebSocket.latest();
  second.serverOpens();
  assert.deepEqual(second.sent[0].payload, { topic: 'news' });
  ackWith(second, second.sent[0].id, { topic: 'news' });
  assert.deepEqual(recoveries.map((entry) => entry.detail), [{ topic: 'news', recovered: false }]);
  client.close();
});

test('subscribe with latest asks for the latest event on every subscription; unsubscribe forgets the position', (clock) => {
  const client = newClient();
  client.subscribe('prices.ACME', { latest: true });
  const first = ScriptedWebSocket.latest();
  first.serverOpens();
  assert.deepEqual(first.sent[0].payload, { topic: 'prices.ACME', latest: true });
  ackWith(first, first.sent[0].id, { topic: 'prices.ACME', epoch: 'p', offset: 9 });
  client.unsubscribe('prices.ACME');
  client.subscribe('prices.ACME');
  assert.deepEqual(first.sent[2].payload, { topic: 'prices.ACME' });
  client.close();
});
