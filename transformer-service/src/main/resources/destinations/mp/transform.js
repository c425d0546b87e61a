// Mixpanel ingestion API (https://docs.mixpanel.com/reference/ingestion-api): events go to /track (or /import with
// the project's API secret, for events older than five days), profile updates (identify) to /engage as $set,
// alias to /track as the $create_alias event.
const cfg = lib.config(destination);
const token = lib.requireConfig(cfg, 'token', 'Project token');
const base = { EU: 'https://api-eu.mixpanel.com', IN: 'https://api-in.mixpanel.com' }[cfg.dataResidency]
  || 'https://api.mixpanel.com';
const type = lib.type(message);
const userId = lib.userId(message);
const distinctId = lib.first(userId, message.anonymousId);
if (!distinctId) lib.fail('Either userId or anonymousId is required for Mixpanel');
const context = lib.isObject(message.context) ? message.context : {};
const properties = lib.isObject(message.properties) ? message.properties : {};
const ip = lib.ip(message);
const json = { 'Content-Type': 'application/json', accept: 'text/plain' };

function trackEvent(name, props) {
  const eventProperties = Object.assign({}, props, {
    token,
    distinct_id: String(distinctId),
    time: lib.timeMillis(message),
    $insert_id: message.messageId,
    $user_id: userId === undefined ? undefined : String(userId),
    $device_id: message.anonymousId,
    ip,
    $os: lib.get(context, 'os.name'),
    $browser: undefined,
    $current_url: lib.get(context, 'page.url'),
    $referrer: lib.get(context, 'page.referrer'),
    mp_lib: 'eventpipe',
  });
  const body = [{ event: name, properties: lib.withoutEmpty(eventProperties) }];
  if (cfg.apiSecret) {
    return lib.delivery({
      endpoint: base + '/import',
      headers: Object.assign({}, json, { Authorization: 'Basic ' + basic(cfg.apiSecret + ':') }),
      params: { strict: 1 },
      jsonArray: { batch: JSON.stringify(body) },
      userId: distinctId,
    });
  }
  return lib.delivery({
    endpoint: base + '/track',
    headers: json,
    params: { ip: 0 },
    jsonArray: { batch: JSON.stringify(body) },
    userId: distinctId,
  });
}

function basic(text) {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = [];
  for (const c of unescape(encodeURIComponent(text))) bytes.push(c.charCodeAt(0));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63];
    out += i + 1 < bytes.length ? chars[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? chars[n & 63] : '=';
  }
  return out;
}

const RESERVED_TRAITS = {
  email: '$email', name: '$name', firstName: '$first_name', firstname: '$first_name', lastName: '$last_name',
  lastname: '$last_name', phone: '$phone', avatar: '$avatar', createdAt: '$created', created_at: '$created',
};

switch (type) {
  case 'track':
    if (!message.event) lib.fail('Event name is required for track events');
    return trackEvent(String(message.event), properties);
  case 'page':
    return trackEvent('Loaded a Page', Object.assign({ name: message.name }, properties));
  case 'screen':
    return trackEvent('Loaded a Screen', Object.assign({ name: message.name }, properties));
  case 'identify': {
    const set = {};
    const traits = lib.traits(message);
    for (const key of Object.keys(traits)) set[RESERVED_TRAITS[key] || key] = traits[key];
    const update = lib.withoutEmpty({ $token: token, $distinct_id: String(distinctId), $ip: ip, $set: set });
    return lib.delivery({
      endpoint: base + '/engage',
      headers: json,
      params: { verbose: 1 },
      jsonArray: { batch: JSON.stringify([update]) },
      userId: distinctId,
    });
  }
  case 'alias': {
    if (!message.previousId || !userId) lib.fail('Alias needs both previousId and userId');
    const alias = { event: '$create_alias', properties: { distinct_id: String(message.previousId), alias: String(userId), token } };
    return lib.delivery({
      endpoint: base + '/track',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', accept: 'text/plain' },
      form: { data: JSON.stringify(alias), verbose: '1' },
      userId: distinctId,
    });
  }
  default:
    lib.fail('Message type "' + type + '" is not supported by Mixpanel');
}
