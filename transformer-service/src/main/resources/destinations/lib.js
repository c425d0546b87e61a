// Helpers shared by the destination modules, evaluated once per context before them. These contexts never run user
// code (see Realm.java), and the harness froze the built-ins before this file ran.
(function () {
  'use strict';
  // the harness's JSON functions, captured before any user code ran (user code may replace the global JSON)
  const json = globalThis.__eventpipeJson;
  const TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'];

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
  /** A failure of this event (400 with this message); never retried. */
  function fail(message) {
    throw new Error(message);
  }
  function get(object, path) {
    let current = object;
    for (const part of path.split('.')) {
      if (!isObject(current) && !Array.isArray(current)) return undefined;
      current = current[part];
    }
    return current;
  }
  function first(...values) {
    for (const value of values) if (value !== undefined && value !== null && value !== '') return value;
    return undefined;
  }
  function config(destination) {
    return (destination && (destination.Config || destination.config)) || {};
  }
  function type(message) {
    const t = typeof message.type === 'string' ? message.type.toLowerCase() : '';
    if (!t) fail('Message Type is not present. Aborting message.');
    return t;
  }
  function userId(message) {
    return first(message.userId, get(message, 'context.traits.userId'), get(message, 'traits.userId'));
  }
  function traits(message) {
    return Object.assign({}, get(message, 'context.traits') || {}, message.traits || {});
  }
  function ip(message) {
    return first(get(message, 'context.ip'), message.request_ip);
  }
  /** The event time in epoch milliseconds (timestamp, then originalTimestamp, then sentAt, then receivedAt). */
  function timeMillis(message) {
    for (const key of ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt']) {
      const parsed = Date.parse(message[key]);
      if (!Number.isNaN(parsed)) return parsed;
    }
    return undefined;
  }
  function requireConfig(cfg, key, label) {
    const value = cfg[key];
    if (value === undefined || value === null || String(value).trim() === '') fail(label + ' is required');
    return typeof value === 'string' ? value.trim() : value;
  }
  function withoutEmpty(object) {
    const out = {};
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined || value === null || value === '') continue;
      if (isObject(value) && Object.keys(value).length === 0) continue;
      out[key] = value;
    }
    return out;
  }
  /** The delivery description the router executes (rudder-server's REST payload, version "1"). */
  function delivery(spec) {
    return {
      version: '1',
      type: 'REST',
      method: spec.method || 'POST',
      endpoint: spec.endpoint,
      headers: spec.headers || {},
      params: spec.params || {},
      body: {
        JSON: spec.json || {},
        JSON_ARRAY: spec.jsonArray || {},
        XML: spec.xml || {},
        FORM: spec.form || {},
      },
      files: {},
      userId: spec.userId === undefined || spec.userId === null ? '' : String(spec.userId),
    };
  }
  /** JSON text with object keys sorted at every level: equal values give equal text (batch keys). */
  function stableJson(value) {
    return json.stringify(sortedKeys(value));
  }
  function sortedKeys(value) {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (!isObject(value)) return value;
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = sortedKeys(value[key]);
    return out;
  }
  /** The destination's maxBatchSize (a positive integer; numeric strings accepted), else fallback; at most cap. */
  function maxBatchSize(destination, fallback, cap) {
    const wanted = Number(config(destination).maxBatchSize);
    return Math.min(Number.isInteger(wanted) && wanted > 0 ? wanted : fallback, cap);
  }
  const lib = Object.freeze({
    TYPES, isObject, fail, get, first, config, type, userId, traits, ip, timeMillis, requireConfig, withoutEmpty,
    delivery, stableJson, toJson: json.stringify, maxBatchSize,
  });
  Object.defineProperty(globalThis, '__eventpipeDestinationLib', { value: lib, writable: false, configurable: false });
  return lib;
})()
