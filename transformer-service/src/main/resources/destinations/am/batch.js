// Batching for the router: HTTP V2 deliveries of one Amplitude project (api_key) and data residency become one
// request to the Batch Event Upload API, POST {api_key, events} to /batch, the HTTP V2 body with the events of all
// members concatenated in order (https://amplitude.com/docs/apis/analytics/batch-event-upload).
// Limits: that page caps the JSON payload at 20 MB and names no event count, so a request holds at most 2,000 events,
// HTTP V2's per-request limit (https://amplitude.com/docs/apis/analytics/http-v2), or the destination's smaller
// maxBatchSize, and at most 20,000,000 bytes of member deliveries (each holds more than its event, so the payload
// stays below 20 MB however the MB is counted).
key(delivery) {
  const body = lib.get(delivery, 'body.JSON');
  if (!lib.isObject(body) || !Array.isArray(body.events)) lib.fail('Amplitude delivery has no events array to batch');
  if (typeof body.api_key !== 'string' || body.api_key === '') lib.fail('Amplitude delivery has no api_key');
  return this.host(delivery) + ' ' + body.api_key;
},
limits(destination) {
  return { maxJobs: lib.maxBatchSize(destination, 2000, 2000), maxBytes: 20000000 };
},
combine(deliveries) {
  const first = deliveries[0];
  const events = [];
  for (const delivery of deliveries) {
    for (const event of delivery.body.JSON.events) events.push(event);
  }
  return lib.delivery({
    endpoint: this.host(first) + '/batch',
    headers: first.headers,
    json: { api_key: first.body.JSON.api_key, events },
    userId: '',
  });
},
// the residency host the delivery was built for: https://api2.amplitude.com or https://api.eu.amplitude.com
host(delivery) {
  const found = /^(https:\/\/(?:api2|api\.eu)\.amplitude\.com)\/(?:2\/httpapi|batch)$/.exec(String(delivery.endpoint));
  if (!found) lib.fail('Only Amplitude HTTP V2 deliveries can be batched, not ' + delivery.endpoint);
  return found[1];
},
