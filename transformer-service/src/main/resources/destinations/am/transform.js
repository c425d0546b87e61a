// Amplitude, HTTP V2 API: POST {api_key, events: [event]} to /2/httpapi
// (https://amplitude.com/docs/apis/analytics/http-v2). Identify becomes Amplitude's "$identify" event with
// user_properties.$set; group adds the event's groups; alias has no HTTP V2 equivalent.
const cfg = lib.config(destination);
const apiKey = lib.requireConfig(cfg, 'apiKey', 'API Key');
const endpoint = cfg.residencyServer === 'EU'
  ? 'https://api.eu.amplitude.com/2/httpapi'
  : 'https://api2.amplitude.com/2/httpapi';
const type = lib.type(message);
const userId = lib.userId(message);
const deviceId = lib.first(lib.get(message, 'context.device.id'), message.anonymousId);
if (!userId && !deviceId) lib.fail('Either userId or anonymousId is required for Amplitude');
const context = lib.isObject(message.context) ? message.context : {};
const properties = lib.isObject(message.properties) ? message.properties : {};
const event = {
  user_id: userId === undefined ? undefined : String(userId),
  device_id: deviceId === undefined ? undefined : String(deviceId),
  time: lib.timeMillis(message),
  insert_id: message.messageId,
  ip: lib.ip(message),
  platform: lib.first(lib.get(context, 'device.type'), context.library && context.library.name ? 'Web' : undefined),
  os_name: lib.get(context, 'os.name'),
  os_version: lib.get(context, 'os.version'),
  device_manufacturer: lib.get(context, 'device.manufacturer'),
  device_model: lib.get(context, 'device.model'),
  carrier: lib.get(context, 'network.carrier'),
  app_version: lib.get(context, 'app.version'),
  language: context.locale,
  country: lib.get(context, 'location.country'),
  city: lib.get(context, 'location.city'),
  session_id: typeof context.sessionId === 'number' ? context.sessionId : undefined,
};
switch (type) {
  case 'track':
    if (!message.event) lib.fail('Event name is required for track events');
    event.event_type = String(message.event);
    event.event_properties = properties;
    if (typeof properties.revenue === 'number') {
      event.revenue = properties.revenue;
      event.price = typeof properties.price === 'number' ? properties.price : undefined;
      event.quantity = typeof properties.quantity === 'number' ? properties.quantity : undefined;
      event.productId = properties.product_id;
    }
    break;
  case 'page':
    event.event_type = 'Loaded a Page';
    event.event_properties = Object.assign({ name: message.name }, lib.get(context, 'page') || {}, properties);
    break;
  case 'screen':
    event.event_type = 'Loaded a Screen';
    event.event_properties = Object.assign({ name: message.name }, properties);
    break;
  case 'identify':
    event.event_type = '$identify';
    event.user_properties = { $set: lib.traits(message) };
    break;
  case 'group': {
    if (!message.groupId) lib.fail('groupId is required for group events');
    const groupType = String(lib.first(cfg.groupTypeTrait && lib.get(message, 'traits.' + cfg.groupTypeTrait), 'group'));
    event.event_type = '$identify';
    event.groups = { [groupType]: String(message.groupId) };
    event.user_properties = { $set: { [groupType]: String(message.groupId) } };
    break;
  }
  default:
    lib.fail('Message type "' + type + '" is not supported by Amplitude');
}
return lib.delivery({
  endpoint,
  headers: { 'Content-Type': 'application/json' },
  json: { api_key: apiKey, events: [lib.withoutEmpty(event)] },
  userId: lib.first(userId, deviceId),
});
