// Evaluated once in every context, before any other code. It freezes the built-ins (see hardenBuiltIns), so code
// that runs later in the context cannot change what the harness or other code relies on. Java talks to user code only through the functions returned here and
// only with strings, so no host object is ever visible to a script. Results are encoded as one string:
//   "1" + json        one output object
//   "N" + json\njson  several outputs (JSON.stringify never emits a raw newline)
//   "D"               dropped (null / undefined / empty array)
//   "P"               a promise is pending; call settle() after the call returned
//   "E" + message     the event failed with this message
(function () {
  'use strict';
  const MAX_LOG_LINES = 1000;
  const MAX_LOG_CHARS = 2000;
  const USER_METADATA_KEYS = ['sourceId', 'sourceName', 'workspaceId', 'sourceType', 'sourceCategory',
    'destinationId', 'destinationType', 'destinationName', 'namespace', 'originalSourceId', 'trackingPlanId',
    'trackingPlanVersion', 'sourceTpConfig', 'mergedTpConfig', 'jobId', 'sourceJobId', 'sourceJobRunId',
    'sourceTaskRunId', 'recordId', 'messageId', 'messageIds', 'rudderId', 'receivedAt', 'eventName', 'eventType',
    'sourceDefinitionId', 'destinationDefinitionId', 'transformationId', 'transformationVersionId'];
  // captured before any other code runs (the built-ins are frozen below anyway)
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  let capture = false;
  let logs = [];
  let pending = null;

  function show(value) {
    if (typeof value === 'string') return value;
    try {
      const json = stringify(value);
      return json === undefined ? String(value) : json;
    } catch (e) {
      return String(value);
    }
  }
  function log(...args) {
    if (!capture || logs.length >= MAX_LOG_LINES) return;
    const line = args.map(show).join(' ');
    logs.push(line.length > MAX_LOG_CHARS ? line.substring(0, MAX_LOG_CHARS) + '...' : line);
  }
  const quiet = Object.freeze({ log, info: log, warn: log, error: log, debug: log, trace: log });
  Object.defineProperty(globalThis, 'log', { value: log, writable: false, configurable: false });
  Object.defineProperty(globalThis, 'console', { value: quiet, writable: false, configurable: false });
  // for the destination helpers (destinations/lib.js)
  Object.defineProperty(globalThis, '__eventpipeJson', {
    value: Object.freeze({ parse, stringify }), writable: false, configurable: false,
  });

  function describe(error) {
    if (error instanceof Error) {
      const stack = typeof error.stack === 'string' ? error.stack : String(error);
      const kept = [];
      for (const line of stack.split('\n')) {
        if (line.indexOf('harness.js') >= 0 || line.indexOf('<js>') >= 0) break;
        kept.push(line);
      }
      return kept.join('\n') || String(error);
    }
    return show(error);
  }
  function isObject(value) {
    return value !== null && typeof value === 'object' && !isArray(value);
  }
  function encodeOne(out, what) {
    if (out === null || out === undefined) return 'D';
    if (isArray(out)) {
      const parts = [];
      for (let i = 0; i < out.length; i++) {
        const item = out[i];
        if (item === null || item === undefined) continue;
        if (!isObject(item)) return 'Ereturned event in events array from ' + what + ' is not an object';
        parts.push(stringify(item));
      }
      return parts.length === 0 ? 'D' : parts.length === 1 ? '1' + parts[0] : 'N' + parts.join('\n');
    }
    if (!isObject(out)) return 'Ereturned event from ' + what + ' is not an object';
    return '1' + stringify(out);
  }
  function encodeBatch(out) {
    if (!isArray(out)) return 'EtransformBatch must return an array of events';
    const parts = [];
    for (let i = 0; i < out.length; i++) {
      const item = out[i];
      if (item === null || item === undefined) continue;
      if (!isObject(item)) return 'Ereturned event in events from user transformation is not an object';
      parts.push(stringify(item));
    }
    return parts.length === 0 ? 'D' : 'N' + parts.join('\n');
  }
  function userMetadata(meta) {
    const picked = {};
    if (!isObject(meta)) return picked;
    for (let i = 0; i < USER_METADATA_KEYS.length; i++) {
      const key = USER_METADATA_KEYS[i];
      if (meta[key] !== undefined) picked[key] = meta[key];
    }
    return picked;
  }
  function finish(out, encode) {
    if (out !== null && typeof out === 'object' && typeof out.then === 'function') {
      const state = { done: false, result: 'EPromise did not settle' };
      pending = state;
      out.then(v => {
        state.done = true;
        try { state.result = encode(v); } catch (e) { state.result = 'E' + describe(e); }
      }, e => { state.done = true; state.result = 'E' + describe(e); });
      return 'P';
    }
    return encode(out);
  }

  // Makes every built-in object reachable from the global object (and the intrinsics reachable only through
  // syntax: generator, async and iterator prototypes, %TypedArray%) immutable, and the global bindings of the
  // built-ins read-only, so no code in this context can replace String.prototype.trim, add Object.prototype.toJSON
  // or swap JSON. Names that ordinary code assigns on its own objects (o.toString = ..., err.message = ...) would
  // then throw in strict code (JavaScript's "override mistake"); those become accessors whose setter defines the
  // property on the object assigned to, as Hardened JavaScript (SES) does.
  function hardenBuiltIns() {
    const defineProperty = Object.defineProperty;
    const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
    const getPrototypeOf = Object.getPrototypeOf;
    const freeze = Object.freeze;
    const ownKeys = Reflect.ownKeys;
    const hasOwn = Object.prototype.hasOwnProperty;
    function allowOverride(target, name) {
      const desc = getOwnPropertyDescriptor(target, name);
      if (!desc || !('value' in desc) || !desc.configurable) return;
      const value = desc.value;
      defineProperty(target, name, {
        get() { return value; },
        set(newValue) {
          if (this === target) throw new TypeError('Cannot assign to read only property \'' + String(name) + '\'');
          if (this === null || (typeof this !== 'object' && typeof this !== 'function')) return;
          if (hasOwn.call(this, name)) { this[name] = newValue; return; }
          defineProperty(this, name, { value: newValue, writable: true, enumerable: true, configurable: true });
        },
        enumerable: desc.enumerable,
        configurable: false,
      });
    }
    const objectNames = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty',
      'isPrototypeOf', 'propertyIsEnumerable'];
    objectNames.forEach(n => allowOverride(Object.prototype, n));
    ['constructor', 'toString'].forEach(n => {
      allowOverride(Function.prototype, n);
      allowOverride(Array.prototype, n);
    });
    [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError]
      .forEach(E => ['constructor', 'message', 'name', 'toString'].forEach(n => allowOverride(E.prototype, n)));

    const seen = new Set([globalThis]);
    const pending = [];
    function add(value) {
      if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
        if (!seen.has(value)) { seen.add(value); pending.push(value); }
      }
    }
    const intrinsics = [
      function* () {}, async function () {}, async function* () {}, (function* () {})(), (async function* () {})(),
      [][Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](), ''[Symbol.iterator](),
      ''.matchAll(/x/g), Int8Array,
    ];
    intrinsics.forEach(i => { add(i); add(getPrototypeOf(i)); });
    for (const name of ownKeys(globalThis)) {
      const desc = getOwnPropertyDescriptor(globalThis, name);
      add(desc.value); add(desc.get); add(desc.set);
      if (desc.configurable) {
        if ('value' in desc) defineProperty(globalThis, name, { writable: false, configurable: false });
        else defineProperty(globalThis, name, { configurable: false });
      }
    }
    while (pending.length > 0) {
      const o = pending.pop();
      freeze(o);
      add(getPrototypeOf(o));
      for (const key of ownKeys(o)) {
        const desc = getOwnPropertyDescriptor(o, key);
        if (desc) { add(desc.value); add(desc.get); add(desc.set); }
      }
    }
  }
  hardenBuiltIns();

  return Object.freeze({
    // code: the namespace or object holding the user's functions -> the prepared transformation
    prepare(code) {
      const ev = code && typeof code.transformEvent === 'function' ? code.transformEvent : undefined;
      const batch = code && typeof code.transformBatch === 'function' ? code.transformBatch : undefined;
      if ((ev === undefined) === (batch === undefined)) {
        throw new Error('Expected one of transformEvent,transformBatch. Found ' +
          (ev && batch ? 'both' : 'none'));
      }
      return Object.freeze({ fn: ev || batch, batch: batch !== undefined });
    },
    isBatch(prepared) {
      return prepared.batch;
    },
    runEvent(prepared, eventJson, metadataJson) {
      pending = null;
      try {
        const event = parse(eventJson);
        const messageId = event && event.messageId;
        // parsed only if the code asks: most transformations never call metadata()
        let meta = null;
        const metadata = e => {
          if (e !== undefined && e !== null && e.messageId !== messageId) return {};
          return meta === null ? (meta = userMetadata(parse(metadataJson))) : meta;
        };
        return finish(prepared.fn(event, metadata), out => encodeOne(out, 'transformEvent(event)'));
      } catch (e) {
        return 'E' + describe(e);
      }
    },
    runBatch(prepared, eventsJson, metadataJson) {
      pending = null;
      try {
        const events = parse(eventsJson);
        const metas = parse(metadataJson);
        const byId = {};
        for (let i = 0; i < events.length; i++) {
          if (events[i] && events[i].messageId !== undefined) byId[events[i].messageId] = userMetadata(metas[i]);
        }
        const metadata = e => (e && byId[e.messageId]) || {};
        return finish(prepared.fn(events, metadata), encodeBatch);
      } catch (e) {
        return 'E' + describe(e);
      }
    },
    // destination modules: module.process(message, destination, metadata) -> delivery | delivery[]
    runDestination(module, messageJson, destination, metadataJson) {
      try {
        const out = module.process(parse(messageJson), destination, parse(metadataJson));
        return encodeOne(out, 'destination transformer');
      } catch (e) {
        return 'E' + (e instanceof Error ? e.message : show(e));
      }
    },
    // destination batch modules: module[member](...args, destination) -> "1" + its result as JSON, "D" for
    // null/undefined, "E" + message when it threw
    callModule(module, member, argsJson, destination) {
      try {
        const fn = module[member];
        if (typeof fn !== 'function') return 'Ebatch module has no function ' + member;
        const args = parse(argsJson);
        args.push(destination);
        const out = fn.apply(module, args);
        return out === null || out === undefined ? 'D' : '1' + stringify(out);
      } catch (e) {
        return 'E' + (e instanceof Error ? e.message : show(e));
      }
    },
    parse(json) {
      return parse(json);
    },
    settle() {
      const state = pending;
      pending = null;
      return state === null ? 'EPromise did not settle' : state.done ? state.result : 'EPromise did not settle';
    },
    capture(on) {
      capture = on;
      logs = [];
    },
    takeLogs() {
      const taken = logs;
      logs = [];
      return stringify(taken);
    },
  });
})()
