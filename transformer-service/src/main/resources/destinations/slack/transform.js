// Slack incoming webhook: POST {"text": ...} to the webhook URL (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
// The text comes from a template with {{path}} placeholders read from the event ({{name}} is the user's name,
// else userId, else anonymousId). Inserted values have &, < and > escaped as Slack's formatting rules require.
const cfg = lib.config(destination);
const url = lib.requireConfig(cfg, 'webhookUrl', 'Webhook URL');
const type = lib.type(message);
const traits = lib.traits(message);
const name = lib.first(traits.name, [traits.firstName, traits.lastName].filter(Boolean).join(' '), lib.userId(message),
  message.anonymousId, 'Someone');

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function render(template) {
  return String(template).replace(/\{\{\s*([A-Za-z0-9_$.]+)\s*\}\}/g, (all, path) => {
    const value = path === 'name' ? name : lib.get(message, path);
    if (value === undefined || value === null) return '';
    return escape(typeof value === 'object' ? JSON.stringify(value) : value);
  });
}

let template;
switch (type) {
  case 'identify':
    template = lib.first(cfg.identifyTemplate, 'Identified {{name}}');
    break;
  case 'track': {
    if (!message.event) lib.fail('Event name is required for track events');
    const allowed = Array.isArray(cfg.eventTemplates) ? cfg.eventTemplates : [];
    const specific = allowed.find(t => t && t.eventName === message.event);
    if (allowed.length > 0 && cfg.onlyTemplatedEvents === true && !specific) {
      lib.fail('Event "' + message.event + '" has no template and only templated events are sent');
    }
    template = lib.first(specific && specific.template, cfg.trackTemplate, '{{name}} did {{event}}');
    break;
  }
  default:
    lib.fail('Message type "' + type + '" is not supported by Slack');
}
const payload = { text: render(template) };
return lib.delivery({
  endpoint: url,
  headers: { 'Content-Type': 'application/json' },
  json: payload,
  userId: lib.first(lib.userId(message), message.anonymousId),
});
