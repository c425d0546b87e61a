import http from 'node:http';

/**
 * A local HTTP sink standing in for a webhook destination: records every request it receives and answers with the
 * status it is told to (200 by default), so a test can make the destination fail and recover.
 */
export async function startSink() {
  const received = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method, url: req.url, headers: req.headers, body, status, at: new Date() });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { ok: true } : { error: `sink told to answer ${status}` }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer(code) {
      status = code;
    },
    /** requests whose body mentions the text (an event name), answered with 2xx */
    delivered(text) {
      return received.filter((r) => r.status < 300 && r.body.includes(text));
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
