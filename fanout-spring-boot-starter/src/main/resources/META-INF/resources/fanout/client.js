/**
 * @file The browser spoke of a fanout hub: a dependency-free ES module, served by the fanout Spring Boot starter at
 * `/fanout/client.js`. It speaks the wire protocol of `docs/protocol.md`: one JSON event per WebSocket text message,
 * `{"type": "<topic>", "id": "<optional string>", "payload": <optional JSON>}`, and the control events
 * `__subscribe` / `__unsubscribe`.
 *
 * @example
 * import { connect } from '/fanout/client.js';
 *
 * const hub = connect();                      // ws(s)://<this host>/fanout, reconnects by itself
 * hub.subscribe('prices.ACME');
 * hub.addEventListener('prices.ACME', (event) => console.log(event.payload, event.id));
 * hub.addEventListener('statechange', (event) => console.log(event.detail.state));
 * hub.dispatchEvent({ type: 'chat', payload: { user: 'ada', text: 'hello' } });
 *
 * @module fanout/client
 */

/**
 * The connection states of a {@link FanoutClient}, as reported by {@link FanoutClient#state} and the `statechange`
 * event.
 *
 * - `connecting`: the first connection attempt is under way.
 * - `open`: connected; events flow both ways.
 * - `reconnecting`: the connection was lost; a new attempt is scheduled or under way.
 * - `closed`: {@link FanoutClient#close} was called, or reconnecting is disabled and the connection was lost. Final.
 *
 * @readonly
 * @enum {string}
 */
export const ConnectionState = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

/**
 * The close codes a fanout hub uses (see `docs/protocol.md`). The client reconnects after each of them unless
 * reconnecting is disabled.
 *
 * @readonly
 * @enum {number}
 */
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  SLOW_CONSUMER: 1013,
});

/** The longest topic the hub accepts by default, in UTF-16 code units (the hub's `max-topic-length`). */
export const MAX_TOPIC_LENGTH = 256;

/**
 * The names of the connection events a {@link FanoutClient} dispatches to its own listeners. They are plain
 * `CustomEvent`s; events from the hub are {@link FanoutMessageEvent}s. If your application also uses one of these
 * names as a topic, tell the two apart with `event instanceof FanoutMessageEvent`.
 *
 * @readonly
 */
export const CONNECTION_EVENTS = Object.freeze(['open', 'close', 'reconnecting', 'statechange']);

/**
 * The error a {@link FanoutClient#subscribe} promise rejects with, and the `detail` of a `subscriptionerror` event:
 * the hub's `code` (protocol 1.1: `forbidden`, `invalid_topic`, `subscription_limit`, `rate_limited`, `internal`,
 * `cancelled`, or an application's own code), its `message`, and the `topic`.
 */
export class FanoutError extends Error {
  /**
   * @param {string} code the stable, machine-readable code
   * @param {string} message the text for people
   * @param {string} [topic] the topic, when known
   */
  constructor(code, message, topic) {
    super(message);
    this.name = 'FanoutError';
    /** @type {string} */
    this.code = code;
    /** @type {string|undefined} */
    this.topic = topic;
  }
}

/**
 * The default options of {@link FanoutClient}.
 *
 * @readonly
 * @type {Readonly<FanoutClientOptions>}
 */
export const DEFAULT_OPTIONS = Object.freeze({
  reconnect: true,
  reconnectBaseDelay: 500,
  reconnectMaxDelay: 30000,
  connectTimeout: 10000,
  resetBackoffAfter: 5000,
  maxQueuedEvents: 256,
  protocols: undefined,
});

/**
 * @typedef {object} FanoutClientOptions
 * @property {boolean} [reconnect=true] Whether to reconnect after the connection is lost (any close the client did
 *     not ask for, including a failed handshake).
 * @property {number} [reconnectBaseDelay=500] Backoff base in milliseconds: attempt `n` waits a random delay in
 *     `[0, min(reconnectMaxDelay, reconnectBaseDelay * 2 ** (n - 1))]` ("full jitter").
 * @property {number} [reconnectMaxDelay=30000] Upper bound of the backoff delay in milliseconds.
 * @property {number} [connectTimeout=10000] Milliseconds a connection attempt may take before it is abandoned and
 *     counted as failed; `0` waits for the browser's own timeout.
 * @property {number} [resetBackoffAfter=5000] Milliseconds a connection must stay open before the backoff attempt
 *     counter starts again at 1. A connection that the hub or a proxy closes sooner (e.g. 1011 or 1013 right after the
 *     handshake) counts as one more failed attempt, so such a loop still backs off. `0` resets on every open.
 * @property {number} [maxQueuedEvents=256] How many events {@link FanoutClient#dispatchEvent} keeps while
 *     disconnected; further events are rejected (it returns `false`).
 * @property {string|string[]} [protocols] WebSocket sub-protocols to offer in the handshake.
 */

/**
 * @typedef {object} OutboundEvent
 * @property {string} type The event type; the hub hands it to its listeners for that type. Non-empty.
 * @property {string} [id] An optional correlation id.
 * @property {*} [payload] Any JSON-serializable value.
 */

/**
 * An event received from the hub, dispatched under its `type` (the topic). Its `detail` is the whole envelope
 * `{type, id, payload, offset}`, so it can also be handled as a plain `CustomEvent`.
 *
 * @extends CustomEvent
 */
export class FanoutMessageEvent extends CustomEvent {
  /**
   * @param {string} type the event type (topic)
   * @param {{id?: string, payload?: *, offset?: number}} [init] the correlation id, payload and offset
   */
  constructor(type, init = {}) {
    const envelope = { type, id: init.id, payload: init.payload };
    if (init.offset !== undefined) {
      envelope.offset = init.offset;
    }
    const detail = Object.freeze(envelope);
    super(type, { detail });
  }

  /**
   * The event's offset in its topic's history, or `undefined` if the topic keeps none (docs/protocol.md, "History
   * and recovery").
   *
   * @type {number|undefined}
   */
  get offset() {
    return this.detail.offset;
  }

  /**
   * The correlation id, or `undefined` if the event has none.
   *
   * @type {string|undefined}
   */
  get id() {
    return this.detail.id;
  }

  /**
   * The payload (any JSON value), or `undefined` if the event has none.
   *
   * @type {*}
   */
  get payload() {
    return this.detail.payload;
  }
}

/**
 * Tells whether a string is a valid topic: non-empty, at most `maxLength` characters, no whitespace or control
 * characters, not starting with `__` (reserved for control events). The same rule the hub applies.
 *
 * @param {*} topic the candidate
 * @param {number} [maxLength=MAX_TOPIC_LENGTH] the longest topic accepted
 * @returns {boolean} whether the hub accepts it as a topic
 */
export function isValidTopic(topic, maxLength = MAX_TOPIC_LENGTH) {
  return typeof topic === 'string'
    && topic.length > 0
    && topic.length <= maxLength
    && !topic.startsWith('__')
    && !/[\u0000-\u001f\u007f-\u009f\p{Zs}\u2028\u2029]/u.test(topic);
}

/**
 * Computes a reconnect delay with exponential backoff and full jitter: a uniformly random number of milliseconds in
 * `[0, min(maxDelay, baseDelay * 2 ** (attempt - 1))]`.
 *
 * @param {number} attempt the attempt number, starting at 1
 * @param {number} baseDelay the backoff base in milliseconds
 * @param {number} maxDelay the cap in milliseconds
 * @param {() => number} [random=Math.random] a source of numbers in `[0, 1)`
 * @returns {number} the delay in whole milliseconds
 */
export function backoffDelay(attempt, baseDelay, maxDelay, random = Math.random) {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(maxDelay, baseDelay * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * Resolves the hub URL: `undefined` gives `ws(s)://<page host>/fanout`; a relative URL is resolved against the page
 * and its `http(s)` scheme turned into `ws(s)`.
 *
 * @param {string|URL} [url] the hub URL, absolute or relative to the page
 * @param {string|URL} [base] the base to resolve against; defaults to the page's `location`
 * @returns {string} an absolute `ws:` or `wss:` URL
 * @throws {TypeError} if the URL cannot be parsed or its scheme is not `ws`, `wss`, `http` or `https`
 */
export function resolveHubUrl(url, base = globalThis.location?.href) {
  const resolved = new URL(url ?? '/fanout', base);
  if (resolved.protocol === 'http:') {
    resolved.protocol = 'ws:';
  } else if (resolved.protocol === 'https:') {
    resolved.protocol = 'wss:';
  }
  if (resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') {
    throw new TypeError(`Not a WebSocket URL: ${resolved.href}`);
  }
  resolved.hash = '';
  return resolved.href;
}

function requireTopic(topic) {
  if (!isValidTopic(topic)) {
    throw new TypeError(`Invalid topic ${JSON.stringify(topic)}: it must be a non-empty string of at most `
      + `${MAX_TOPIC_LENGTH} characters without whitespace or control characters, not starting with "__"`);
  }
  return topic;
}

function requireNonNegative(options, name) {
  const value = options[name];
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`Option ${name} must be a non-negative number, got ${String(value)}`);
  }
}

function validateOptions(options) {
  const merged = { ...DEFAULT_OPTIONS, ...options };
  requireNonNegative(merged, 'reconnectBaseDelay');
  requireNonNegative(merged, 'reconnectMaxDelay');
  requireNonNegative(merged, 'connectTimeout');
  requireNonNegative(merged, 'resetBackoffAfter');
  requireNonNegative(merged, 'maxQueuedEvents');
  return Object.freeze(merged);
}

function encodeEnvelope(event) {
  if (event === null || typeof event !== 'object') {
    throw new TypeError('An event must be an object {type, id?, payload?}');
  }
  const { type, id, payload } = event;
  if (typeof type !== 'string' || type.length === 0 || type.startsWith('__')) {
    throw new TypeError(`Invalid event type ${JSON.stringify(type)}: it must be a non-empty string not starting with "__"`);
  }
  if (id !== undefined && id !== null && typeof id !== 'string') {
    throw new TypeError('An event id must be a string');
  }
  const envelope = { type };
  if (id !== undefined && id !== null) {
    envelope.id = id;
  }
  if (payload !== undefined) {
    envelope.payload = payload;
  }
  return JSON.stringify(envelope);
}

function decodeEnvelope(data) {
  let text = data;
  if (data instanceof ArrayBuffer) {
    text = new TextDecoder().decode(data);
  }
  if (typeof text !== 'string') {
    return null;
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)
    || typeof parsed.type !== 'string' || parsed.type.length === 0) {
    return null;
  }
  return {
    type: parsed.type,
    id: typeof parsed.id === 'string' ? parsed.id : undefined,
    payload: parsed.payload,
    offset: Number.isSafeInteger(parsed.offset) && parsed.offset > 0 ? parsed.offset : undefined,
  };
}

/**
 * A spoke's connection to a fanout hub, as an `EventTarget`.
 *
 * - It connects as soon as it is constructed, and after losing the connection it reconnects with exponential backoff
 *   and full jitter (see {@link backoffDelay}), then subscribes again to every active topic. The attempt counter
 *   starts again at 1 only once a connection has stayed open for `resetBackoffAfter` ms. Only {@link #close}
 *   stops it.
 * - Events from the hub are dispatched to this object's listeners as {@link FanoutMessageEvent}s under their type.
 * - Connection changes are dispatched as `CustomEvent`s (see {@link CONNECTION_EVENTS}):
 *   `open` (`detail: {url, reconnected}`), `close` (`detail: {code, reason, wasClean, willReconnect}`),
 *   `reconnecting` (`detail: {attempt, delay}`, before each wait) and `statechange` (`detail: {state, previous}`).
 * - {@link #dispatchEvent} with a plain `{type, id?, payload?}` object sends it to the hub. While disconnected, such
 *   events are queued (up to `maxQueuedEvents`) and sent in order on the next open; once the queue is full, or after
 *   {@link #close}, they are rejected and `dispatchEvent` returns `false`. Delivery is at most once: an event the
 *   browser accepted just before the connection broke may be lost.
 * - Messages from the hub that are not a JSON object with a non-empty string `type` are ignored.
 * - {@link #subscribe} sends an id the client generates, and returns a promise that the hub's `__ack` resolves and
 *   its `__error` rejects (protocol 1.1). After a reconnect, every topic is subscribed again; a denial then (the
 *   user's session ended, say) drops the topic and is reported as a `subscriptionerror` `CustomEvent` whose `detail`
 *   is a {@link FanoutError}. Replies (`__ack`, `__error`) also reach listeners of those types, like any event, so a
 *   page can hear the hub or the application refuse an event it sent with an id.
 * - On topics with history it remembers the topic's epoch and the offset of the last event received, and every
 *   re-subscription after a reconnect (also after a 1013) asks the hub to recover what was missed (`since`). After
 *   each reconnect it dispatches, per re-subscribed topic, a `recovery` `CustomEvent` with
 *   `detail: {topic, recovered}`: `recovered: true` means every missed event follows (in order, before the live
 *   ones); `false` means some may be lost (or the topic keeps no history), so the page should re-fetch that state.
 *   `subscribe(topic, {latest: true})` also asks for the topic's latest event at once (a snapshot such as a price).
 *
 * All methods run on the page's event loop; listeners run in the order they were added.
 *
 * @extends EventTarget
 */
export class FanoutClient extends EventTarget {
  #url;
  #options;
  #random;
  #WebSocket;
  #socket = null;
  #state = ConnectionState.CONNECTING;
  #attempt = 0;
  #everOpened = false;
  #reconnectTimer = null;
  #connectTimer = null;
  #stableTimer = null;
  #topics = new Set();
  #queue = [];
  #nextId = 0;
  #subscribeIds = new Map();
  #awaitingAck = new Map();
  #positions = new Map();
  #latest = new Set();
  #resubscribeIds = new Set();

  /**
   * Creates the client and starts connecting at once.
   *
   * @param {string|URL} [url] the hub URL; `undefined` means `ws(s)://<page host>/fanout`; a relative URL is resolved
   *     against the page (see {@link resolveHubUrl})
   * @param {FanoutClientOptions & {WebSocket?: typeof WebSocket, random?: () => number}} [options] the options;
   *     `WebSocket` and `random` replace the global `WebSocket` and `Math.random` (for tests)
   * @throws {TypeError} if the URL is not a WebSocket URL or an option is invalid
   */
  constructor(url, options = {}) {
    super();
    this.#url = resolveHubUrl(url);
    this.#options = validateOptions(options);
    this.#random = options.random ?? Math.random;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#open();
  }

  /**
   * The absolute hub URL.
   *
   * @type {string}
   */
  get url() {
    return this.#url;
  }

  /**
   * The connection state: one of {@link ConnectionState}.
   *
   * @type {string}
   */
  get state() {
    return this.#state;
  }

  /**
   * The topics this client is subscribed to (and will subscribe to again after a reconnect), in subscription order.
   *
   * @type {string[]}
   */
  get subscriptions() {
    return [...this.#topics];
  }

  /**
   * How many outbound events wait for the connection to open.
   *
   * @type {number}
   */
  get queuedEvents() {
    return this.#queue.length;
  }

  /**
   * Subscribes to a topic: the hub then sends this client every event of that type. Takes effect at once when open,
   * otherwise on the next open; repeated calls for one topic subscribe once and share one promise until it settles.
   *
   * The promise resolves with `{topic}` when the hub acknowledges the subscription (its `__ack`), and rejects with a
   * {@link FanoutError} carrying the hub's code when it refuses it (`forbidden`, `invalid_topic`, …; the topic is then
   * dropped), or with code `cancelled` when {@link #unsubscribe} is called before the acknowledgement. A caller that
   * ignores the promise is not warned about unhandled rejections.
   *
   * @param {string} topic the topic (see {@link isValidTopic})
   * @param {{latest?: boolean}} [options] `latest: true` asks the hub for the topic's latest kept event right after
   *     the acknowledgement, on this and every later subscription of the topic (a topic with history only)
   * @returns {Promise<{topic: string}>} settles on the hub's reply
   * @throws {TypeError} if the topic is invalid
   */
  subscribe(topic, options = {}) {
    requireTopic(topic);
    if (options?.latest === true && !this.#topics.has(topic)) {
      this.#latest.add(topic);
    }
    const awaiting = this.#awaitingAck.get(topic);
    if (awaiting) {
      return awaiting.promise;
    }
    if (this.#topics.has(topic)) {
      return Promise.resolve({ topic });
    }
    this.#topics.add(topic);
    const deferred = {};
    deferred.promise = new Promise((resolve, reject) => {
      deferred.resolve = resolve;
      deferred.reject = reject;
    });
    deferred.promise.catch(() => {});
    this.#awaitingAck.set(topic, deferred);
    this.#sendSubscribe(topic);
    return deferred.promise;
  }

  /**
   * Unsubscribes from a topic. Unsubscribing a topic not subscribed does nothing. Events of that topic already on
   * their way may still arrive. A {@link #subscribe} promise of the topic still waiting rejects with code `cancelled`.
   *
   * @param {string} topic the topic (see {@link isValidTopic})
   * @returns {FanoutClient} this client
   * @throws {TypeError} if the topic is invalid
   */
  unsubscribe(topic) {
    requireTopic(topic);
    if (this.#topics.delete(topic)) {
      this.#forgetHistory(topic);
      this.#forgetSubscribeIds(topic);
      this.#settle(topic, new FanoutError('cancelled', 'unsubscribed before the hub acknowledged', topic));
      this.#sendControl('__unsubscribe', topic);
    }
    return this;
  }

  /**
   * Sends an event towards the hub, or dispatches a DOM `Event` locally.
   *
   * - A DOM `Event` instance is dispatched to this object's own listeners, as `EventTarget#dispatchEvent` does.
   * - A plain object `{type, id?, payload?}` is sent to the hub (which hands it to its listeners for `type`). While
   *   disconnected it is queued; see the class description.
   *
   * @param {OutboundEvent|Event} event the event
   * @returns {boolean} for a DOM `Event`, what `EventTarget#dispatchEvent` returns; for an outbound event, `true` if
   *     it was sent or queued, `false` if it was rejected (queue full, or the client is closed)
   * @throws {TypeError} if the outbound event has no valid type (non-empty, not starting with `__`), a non-string
   *     id, or a payload that cannot be serialized as JSON
   */
  dispatchEvent(event) {
    if (event instanceof Event) {
      return super.dispatchEvent(event);
    }
    const message = encodeEnvelope(event);
    if (this.#state === ConnectionState.CLOSED) {
      return false;
    }
    if (this.#state === ConnectionState.OPEN && this.#socket?.readyState === 1) {
      this.#socket.send(message);
      return true;
    }
    if (this.#queue.length >= this.#options.maxQueuedEvents) {
      return false;
    }
    this.#queue.push(message);
    return true;
  }

  /**
   * Sends an event towards the hub: shorthand for `dispatchEvent({type, payload, id})`.
   *
   * @param {string} type the event type
   * @param {*} [payload] any JSON-serializable value
   * @param {string} [id] a correlation id
   * @returns {boolean} `true` if sent or queued, `false` if rejected
   * @throws {TypeError} as {@link #dispatchEvent} does
   */
  send(type, payload, id) {
    return this.dispatchEvent({ type, payload, id });
  }

  /**
   * Closes the connection for good: no reconnect follows, queued events are dropped, the state becomes `closed`
   * and a `close` event with `willReconnect: false` is dispatched. Calling it again does nothing.
   *
   * @param {number} [code=1000] the close code sent to the hub (1000, or 3000–4999)
   * @param {string} [reason=''] the close reason (at most 123 bytes of UTF-8)
   * @throws {TypeError} if the code is neither 1000 nor in 3000–4999
   */
  close(code = CloseCode.NORMAL, reason = '') {
    if (code !== CloseCode.NORMAL && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
      throw new TypeError(`Close code must be 1000 or in 3000-4999, got ${String(code)}`);
    }
    if (this.#state === ConnectionState.CLOSED) {
      return;
    }
    this.#clearTimers();
    this.#queue.length = 0;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      this.#detach(socket);
      if (socket.readyState === 0 || socket.readyState === 1) {
        socket.close(code, reason);
      }
    }
    this.#setState(ConnectionState.CLOSED);
    this.#emit('close', { code, reason, wasClean: true, willReconnect: false });
  }

  /**
   * Closes the current connection as if it were lost, so that the client reconnects at once (attempt 1, no wait),
   * e.g. after the page learns that the network is back. Does nothing once closed.
   */
  reconnectNow() {
    if (this.#state === ConnectionState.CLOSED) {
      return;
    }
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      this.#detach(socket);
      if (socket.readyState === 0 || socket.readyState === 1) {
        socket.close(CloseCode.NORMAL, 'reconnecting');
      }
    }
    this.#attempt = 0;
    this.#setState(ConnectionState.RECONNECTING);
    this.#open();
  }

  #open() {
    let socket;
    try {
      socket = this.#options.protocols === undefined
        ? new this.#WebSocket(this.#url)
        : new this.#WebSocket(this.#url, this.#options.protocols);
    } catch (error) {
      this.#lost(1006, String(error?.message ?? error), false);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    socket.onopen = () => this.#opened(socket);
    socket.onmessage = (message) => this.#received(message.data);
    socket.onclose = (closeEvent) => {
      if (this.#socket === socket) {
        this.#socket = null;
        this.#detach(socket);
        this.#lost(closeEvent.code, closeEvent.reason, closeEvent.wasClean);
      }
    };
    socket.onerror = () => {};
    if (this.#options.connectTimeout > 0) {
      this.#connectTimer = setTimeout(() => this.#abandon(socket), this.#options.connectTimeout);
    }
  }

  #abandon(socket) {
    this.#connectTimer = null;
    if (this.#socket === socket && socket.readyState === 0) {
      this.#socket = null;
      this.#detach(socket);
      socket.close();
      this.#lost(1006, 'connect timeout', false);
    }
  }

  #opened(socket) {
    if (this.#socket !== socket) {
      return;
    }
    clearTimeout(this.#connectTimer);
    this.#connectTimer = null;
    const reconnected = this.#everOpened;
    this.#everOpened = true;
    this.#resetBackoffOnceStable(socket);
    this.#subscribeIds.clear();
    this.#resubscribeIds.clear();
    for (const topic of this.#topics) {
      const id = this.#writeSubscribe(socket, topic);
      if (reconnected) {
        this.#resubscribeIds.add(id);
      }
    }
    const queued = this.#queue.splice(0);
    for (const message of queued) {
      socket.send(message);
    }
    this.#setState(ConnectionState.OPEN);
    this.#emit('open', { url: this.#url, reconnected });
  }

  #resetBackoffOnceStable(socket) {
    if (this.#options.resetBackoffAfter === 0) {
      this.#attempt = 0;
      return;
    }
    this.#stableTimer = setTimeout(() => {
      this.#stableTimer = null;
      if (this.#socket === socket) {
        this.#attempt = 0;
      }
    }, this.#options.resetBackoffAfter);
  }

  #received(data) {
    const envelope = decodeEnvelope(data);
    if (envelope === null) {
      return;
    }
    if ((envelope.type === '__ack' || envelope.type === '__error') && this.#subscribeIds.has(envelope.id)) {
      this.#replied(envelope);
    } else if (envelope.offset !== undefined) {
      const position = this.#positions.get(envelope.type);
      if (position) {
        position.offset = envelope.offset;
      }
    }
    super.dispatchEvent(new FanoutMessageEvent(envelope.type, envelope));
  }

  #replied(reply) {
    const topic = this.#subscribeIds.get(reply.id);
    this.#subscribeIds.delete(reply.id);
    const resubscribed = this.#resubscribeIds.delete(reply.id);
    if (reply.type === '__ack') {
      const recovered = this.#track(topic, reply.payload);
      this.#settle(topic, null);
      if (resubscribed) {
        this.#emit('recovery', { topic, recovered });
      }
      return;
    }
    this.#forgetHistory(topic);
    const payload = (reply.payload !== null && typeof reply.payload === 'object') ? reply.payload : {};
    const error = new FanoutError(typeof payload.code === 'string' ? payload.code : 'internal',
      typeof payload.message === 'string' ? payload.message : 'the hub refused the subscription', topic);
    this.#topics.delete(topic);
    if (!this.#settle(topic, error)) {
      this.#emit('subscriptionerror', error);
    }
  }

  #settle(topic, error) {
    const awaiting = this.#awaitingAck.get(topic);
    if (!awaiting) {
      return false;
    }
    this.#awaitingAck.delete(topic);
    if (error === null) {
      awaiting.resolve({ topic });
    } else {
      awaiting.reject(error);
    }
    return true;
  }

  #sendSubscribe(topic) {
    if (this.#state === ConnectionState.OPEN && this.#socket?.readyState === 1) {
      this.#writeSubscribe(this.#socket, topic);
    }
  }

  #writeSubscribe(socket, topic) {
    this.#nextId += 1;
    const id = `sub-${this.#nextId}`;
    this.#subscribeIds.set(id, topic);
    const payload = { topic };
    const position = this.#positions.get(topic);
    if (position) {
      payload.since = { epoch: position.epoch, offset: position.offset };
    }
    if (this.#latest.has(topic)) {
      payload.latest = true;
    }
    socket.send(JSON.stringify({ type: '__subscribe', id, payload }));
    return id;
  }

  // Remembers the topic's position from its ack. After a successful recovery the missed events follow the ack, so the
  // offset stays where it was until each of them arrives: a connection lost in between recovers them again.
  #track(topic, payload) {
    const ack = (payload !== null && typeof payload === 'object') ? payload : {};
    const recovered = ack.recovered === true;
    if (typeof ack.epoch !== 'string' || !Number.isSafeInteger(ack.offset)) {
      this.#positions.delete(topic);
      return recovered;
    }
    const known = this.#positions.get(topic);
    if (!(recovered && known?.epoch === ack.epoch)) {
      this.#positions.set(topic, { epoch: ack.epoch, offset: ack.offset });
    }
    return recovered;
  }

  #forgetHistory(topic) {
    this.#positions.delete(topic);
    this.#latest.delete(topic);
  }

  #forgetSubscribeIds(topic) {
    for (const [id, subscribed] of this.#subscribeIds) {
      if (subscribed === topic) {
        this.#subscribeIds.delete(id);
      }
    }
  }

  #lost(code, reason, wasClean) {
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#stableTimer);
    this.#connectTimer = null;
    this.#stableTimer = null;
    const willReconnect = this.#options.reconnect;
    if (!willReconnect) {
      this.#queue.length = 0;
      this.#setState(ConnectionState.CLOSED);
      this.#emit('close', { code, reason, wasClean, willReconnect });
      return;
    }
    this.#setState(ConnectionState.RECONNECTING);
    this.#emit('close', { code, reason, wasClean, willReconnect });
    if (this.#state !== ConnectionState.RECONNECTING || this.#socket !== null || this.#reconnectTimer !== null) {
      return;
    }
    this.#attempt += 1;
    const delay = backoffDelay(this.#attempt, this.#options.reconnectBaseDelay, this.#options.reconnectMaxDelay,
      this.#random);
    this.#emit('reconnecting', { attempt: this.#attempt, delay });
    if (this.#state !== ConnectionState.RECONNECTING || this.#socket !== null) {
      return;
    }
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#state === ConnectionState.RECONNECTING && this.#socket === null) {
        this.#open();
      }
    }, delay);
  }

  #sendControl(type, topic) {
    if (this.#state === ConnectionState.OPEN && this.#socket?.readyState === 1) {
      this.#socket.send(JSON.stringify({ type, payload: { topic } }));
    }
  }

  #detach(socket) {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  #clearTimers() {
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#stableTimer);
    this.#reconnectTimer = null;
    this.#connectTimer = null;
    this.#stableTimer = null;
  }

  #setState(state) {
    const previous = this.#state;
    if (previous !== state) {
      this.#state = state;
      this.#emit('statechange', { state, previous });
    }
  }

  #emit(type, detail) {
    super.dispatchEvent(new CustomEvent(type, { detail: detail instanceof Error ? detail : Object.freeze(detail) }));
  }
}

/**
 * Connects to a fanout hub: shorthand for `new FanoutClient(url, options)`.
 *
 * @param {string|URL} [url] the hub URL; `undefined` means `ws(s)://<page host>/fanout`
 * @param {FanoutClientOptions} [options] the options
 * @returns {FanoutClient} the client, already connecting
 * @throws {TypeError} if the URL is not a WebSocket URL or an option is invalid
 */
export function connect(url, options) {
  return new FanoutClient(url, options);
}
