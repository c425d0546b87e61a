// WEBHOOK: the whole enriched event as the JSON body to the configured URL (reference §10).
const cfg = lib.config(destination);
const url = lib.requireConfig(cfg, 'webhookUrl', 'Webhook URL');
const method = String(cfg.webhookMethod || 'POST').toUpperCase();
if (!['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].includes(method)) lib.fail('Webhook method ' + method + ' is not supported');
const event = message;
event.context = lib.isObject(event.context) ? event.context : {};
if (!event.context.ip && event.request_ip) event.context.ip = event.request_ip;
const headers = { 'content-type': 'application/json' };
for (const header of Array.isArray(cfg.headers) ? cfg.headers : []) {
  if (header && typeof header.from === 'string' && header.from.trim() !== '' && header.to !== undefined) {
    headers[header.from.trim()] = String(header.to);
  }
}
const bodyless = method === 'GET' || method === 'DELETE';
const params = {};
if (bodyless && lib.isObject(event.properties)) {
  for (const key of Object.keys(event.properties)) {
    const value = event.properties[key];
    if (value !== null && typeof value !== 'object') params[key] = String(value);
  }
}
return lib.delivery({
  method,
  endpoint: url,
  headers,
  params,
  json: bodyless ? {} : event,
  userId: event.anonymousId,
});
