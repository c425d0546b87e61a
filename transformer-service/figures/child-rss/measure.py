#!/usr/bin/env python3
"""Measures the resident memory (VmRSS, VmHWM) of a transformer child JVM, started as the parent starts one (the JIT
flags of jvm-flags.txt, -Xmx of transformer.isolation.heap, the child's properties), serving one version: a calm one
under steady load, and a hoarding one that fills its heap on every call."""
import http.server, json, os, subprocess, sys, tempfile, threading, time, urllib.request, urllib.parse

JAR, GRAAL, HEAP = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "192m"
EXTRA = sys.argv[4].split() if len(sys.argv) > 4 else []
CODES = {
    "v-calm": "export function transformEvent(e) { e.properties = e.properties || {}; e.properties.seen = true;"
              " const s = JSON.stringify(e); return e; }",
    "v-hoard": "export function transformEvent(e) { const all = []; while (true) { all.push(new Float64Array(200000));"
               " const t = Date.now() + 2; while (Date.now() < t) {} } }",
}

class Backend(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        v = q.get("versionId", [""])[0]
        body = json.dumps({"versionId": v, "code": CODES[v], "language": "javascript"}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass

srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Backend)
threading.Thread(target=srv.serve_forever, daemon=True).start()
flags = [l.strip().replace("${GRAAL_DIR}", GRAAL) for l in open(os.path.join(os.path.dirname(JAR), "..", "jvm-flags.txt"))
         if l.strip() and not l.startswith("#")]

def status(pid):
    out = {}
    for line in open(f"/proc/{pid}/status"):
        k, v = line.split(":", 1)
        if k in ("VmRSS", "VmHWM"): out[k] = int(v.split()[0]) // 1024
    return out

def child(version):
    d = tempfile.mkdtemp(); port_file = os.path.join(d, "port")
    props = {"server.port": "0", "server.address": "127.0.0.1", "spring.main.banner-mode": "off",
             "transformer.config-backend.url": f"http://127.0.0.1:{srv.server_address[1]}",
             "transformer.sandbox.pool-size": "1", "transformer.sandbox.test-pool-size": "1",
             "transformer.sandbox.idle-contexts": "4", "transformer.sandbox.code-cache-size": "1",
             "transformer.isolation.version": version.encode().hex(), "transformer.isolation.port-file": port_file}
    cmd = ["java", *flags, *EXTRA, f"-Xmx{HEAP}", *[f"-D{k}={v}" for k, v in props.items()], "-jar", JAR]
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env["SERVICE_TOKEN"] = "t" * 32
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    while not os.path.exists(port_file):
        if p.poll() is not None: raise SystemExit(f"child ended: {p.returncode}")
        time.sleep(0.2)
    return p, int(open(port_file).read())

def call(port, version, n):
    items = [{"message": {"messageId": f"m{i}", "type": "track", "event": "e", "properties": {"i": i, "s": "x" * 200}},
              "metadata": {"messageId": f"m{i}", "sourceId": "s", "destinationId": "d"},
              "destination": {"Transformations": [{"VersionID": version}]}} for i in range(n)]
    req = urllib.request.Request(f"http://127.0.0.1:{port}/isolated/customTransform",
                                 data=json.dumps({"items": items, "reportFiltered": True}).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + "t" * 32,
                                          "X-Eventpipe-Deadline-Ms": "300000"})
    with urllib.request.urlopen(req, timeout=320) as r:
        return json.loads(r.read())

for version, calls, events in (("v-calm", int(os.environ.get("CALM_CALLS", "300")), 200), ("v-hoard", 4, 1)):
    p, port = child(version)
    time.sleep(2)
    ready = status(p.pid)
    for i in range(calls):
        answer = call(port, version, events)
    done = status(p.pid)
    print(json.dumps({"version": version, "heap": HEAP, "extra": EXTRA, "calls": calls, "eventsPerCall": events,
                      "rssReadyMB": ready["VmRSS"], "rssAfterMB": done["VmRSS"], "peakRssMB": done["VmHWM"],
                      "lastAnswer": str(answer)[:160]}), flush=True)
    p.stdin.close(); p.wait(timeout=30)
