// Google Analytics 4, Measurement Protocol: POST /mp/collect?measurement_id=&api_secret= with
// {client_id, user_id, timestamp_micros, events: [{name, params}]}
// (https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events).
// E-commerce spec events map to GA4's recommended events; other names become snake_case (letters, digits and
// underscores, starting with a letter, at most 40 characters, as GA4 requires).
const cfg = lib.config(destination);
const measurementId = lib.requireConfig(cfg, 'measurementId', 'Measurement ID');
const apiSecret = lib.requireConfig(cfg, 'apiSecret', 'API secret');
const type = lib.type(message);
const context = lib.isObject(message.context) ? message.context : {};
const properties = lib.isObject(message.properties) ? message.properties : {};
const RECOMMENDED = {
  'products searched': 'search', 'product list viewed': 'view_item_list', 'product clicked': 'select_item',
  'product viewed': 'view_item', 'product added': 'add_to_cart', 'product removed': 'remove_from_cart',
  'cart viewed': 'view_cart', 'checkout started': 'begin_checkout', 'payment info entered': 'add_payment_info',
  'order completed': 'purchase', 'order refunded': 'refund', 'product added to wishlist': 'add_to_wishlist',
  'promotion viewed': 'view_promotion', 'promotion clicked': 'select_promotion', 'signed up': 'sign_up',
  'logged in': 'login', 'product shared': 'share',
};

function ga4Name(name) {
  let out = String(name).trim().toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(out)) out = 'event_' + out;
  return out.substring(0, 40);
}
function param(value) {
  return typeof value === 'string' ? value.substring(0, 100) : value;
}
function item(product) {
  return lib.withoutEmpty({
    item_id: lib.first(product.product_id, product.sku, product.id),
    item_name: product.name,
    item_brand: product.brand,
    item_category: product.category,
    item_variant: product.variant,
    price: product.price,
    quantity: product.quantity,
    coupon: product.coupon,
    index: product.position,
  });
}
function params(props) {
  const out = {};
  for (const key of Object.keys(props)) {
    const value = props[key];
    if (key === 'products' && Array.isArray(value)) {
      out.items = value.filter(lib.isObject).map(item);
    } else if (value !== null && value !== undefined && typeof value !== 'object') {
      out[ga4Name(key)] = param(value);
    }
  }
  if (props.order_id !== undefined) out.transaction_id = String(props.order_id);
  if (props.revenue !== undefined && out.value === undefined) out.value = props.revenue;
  if (props.total !== undefined && out.value === undefined) out.value = props.total;
  if (typeof context.sessionId === 'number' || typeof context.sessionId === 'string') out.session_id = String(context.sessionId);
  out.engagement_time_msec = 1;
  return out;
}

let event;
switch (type) {
  case 'track': {
    if (!message.event) lib.fail('Event name is required for track events');
    const name = RECOMMENDED[String(message.event).trim().toLowerCase()] || ga4Name(message.event);
    event = { name, params: params(properties) };
    break;
  }
  case 'page': {
    const page = lib.isObject(context.page) ? context.page : {};
    event = {
      name: 'page_view',
      params: Object.assign(params(properties), lib.withoutEmpty({
        page_location: param(lib.first(properties.url, page.url)),
        page_title: param(lib.first(properties.title, page.title, message.name)),
        page_referrer: param(lib.first(properties.referrer, page.referrer)),
      })),
    };
    break;
  }
  case 'group':
    if (!message.groupId) lib.fail('groupId is required for group events');
    event = { name: 'join_group', params: { group_id: String(message.groupId), engagement_time_msec: 1 } };
    break;
  default:
    lib.fail('Message type "' + type + '" is not supported by Google Analytics 4');
}
const clientId = lib.first(properties.client_id, lib.get(context, 'client_id'), message.anonymousId, lib.userId(message));
if (!clientId) lib.fail('client_id (or anonymousId) is required for Google Analytics 4');
const userId = lib.userId(message);
const millis = lib.timeMillis(message);
return lib.delivery({
  endpoint: 'https://www.google-analytics.com/mp/collect',
  headers: { 'Content-Type': 'application/json' },
  params: { measurement_id: measurementId, api_secret: apiSecret },
  json: lib.withoutEmpty({
    client_id: String(clientId),
    user_id: userId === undefined ? undefined : String(userId),
    timestamp_micros: millis === undefined ? undefined : millis * 1000,
    events: [event],
  }),
  userId: lib.first(userId, message.anonymousId),
});
