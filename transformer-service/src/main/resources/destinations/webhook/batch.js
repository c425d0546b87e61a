// Batching for the router (config enableBatching): deliveries with the same method, URL, headers and query params
// become one request whose body is the JSON array of their bodies in order, sent as rudder-server's JSON_ARRAY
// {batch: "<array as JSON text>"}; receivers get the events of several users in one array, as with the batch option
// of Segment's Webhooks (Actions) or RudderStack's HTTP destination. GET and DELETE have no body: never batched.
// Limits: maxBatchSize events (default 100, at most 1,000) and 4,000,000 bytes of member deliveries per request,
// below the 6 MB request limit of AWS Lambda and the 10 MB of API Gateway; receivers that accept less (nginx's
// default client_max_body_size is 1 MB) need a smaller maxBatchSize.
key(delivery) {
  const method = String(delivery.method || 'POST').toUpperCase();
  if (method === 'GET' || method === 'DELETE') {
    lib.fail('Webhook ' + method + ' requests have no body and cannot be batched: use POST, PUT or PATCH');
  }
  if (!lib.isObject(lib.get(delivery, 'body.JSON'))) lib.fail('Webhook delivery has no JSON body to batch');
  return lib.stableJson([method, delivery.endpoint, delivery.headers || {}, delivery.params || {}]);
},
limits(destination) {
  return { maxJobs: lib.maxBatchSize(destination, 100, 1000), maxBytes: 4000000 };
},
combine(deliveries) {
  const first = deliveries[0];
  return lib.delivery({
    method: String(first.method || 'POST').toUpperCase(),
    endpoint: first.endpoint,
    headers: first.headers,
    params: first.params,
    jsonArray: { batch: lib.toJson(deliveries.map(delivery => delivery.body.JSON)) },
    userId: '',
  });
},
