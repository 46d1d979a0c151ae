"""server_checks.py - the checks behind test_server.sh.

One server is started with an API key file and small limits (a 64 KiB body,
50 records per batch, a 2-second timeout), so that every limit can be hit
quickly; each check says what it expects.
"""
import json
import os
import signal
import socket
import threading
import time
import urllib.parse

from serverlib import Checks, Server, status_of

t = Checks()
tmp_keys = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"sanctum-keys-{os.getpid()}")
with open(tmp_keys, "w") as f:
    f.write("# analysts\nalice:alice-0123456789abcdef\nonboarding:onb-0123456789abcdefXYZ\n")
srv = Server("--api-key-file", tmp_keys, "--threads", "2", "--max-body", "65536", "--max-batch", "50",
             "--timeout", "2", "--audit")
os.unlink(tmp_keys)
KEY = {"Authorization": "Bearer alice-0123456789abcdef"}


def get(path, headers=KEY):
    return srv.json("GET", path, headers=headers)


def post(path, body, headers=None):
    h = dict(KEY)
    h.update(headers or {})
    return srv.json("POST", path, body=body, headers=h)


def is_error(body, status):
    return isinstance(body, dict) and body.get("error", {}).get("status") == status and body["error"].get("message")


# ---- open endpoints and the page --------------------------------------------------------
s, b = get("/healthz", headers={})
t.check(s == 200 and b["status"] == "ok" and b["generation"] == 1 and b["entities"] > 10000, "healthz answers without a key", b)
s, h, page = srv.request("GET", "/")
t.check(s == 200 and h["content-type"].startswith("text/html") and b"search-form" in page, "the page is served at /")
t.check("default-src 'self'" in h.get("content-security-policy", ""), "the page forbids outside resources")
for asset in ("/app.js", "/style.css"):
    s, h, _ = srv.request("GET", asset)
    t.check(s == 200, f"{asset} is served")
s, h, doc = srv.request("GET", "/openapi.yaml")
with open(os.path.join(os.environ.get("SANCTUM_SOURCE_DIR", "."), "docs", "openapi.yaml"), "rb") as f:
    t.check(s == 200 and doc == f.read(), "/openapi.yaml is docs/openapi.yaml")

# ---- API keys -----------------------------------------------------------------------------
s, b = get("/v1/lists", headers={})
t.check(s == 401 and is_error(b, 401), "no key gives 401", s)
s, b = get("/v1/lists", headers={"Authorization": "Bearer alice-0123456789abcdeX"})
t.check(s == 401, "a wrong key of the same length gives 401", s)
s, b = get("/v1/lists", headers={"Authorization": "Bearer a"})
t.check(s == 401, "a short wrong key gives 401", s)
s, b = get("/metrics", headers={})
t.check(s == 401, "metrics need a key", s)
s, b = get("/v1/lists", headers={"X-API-Key": "onb-0123456789abcdefXYZ"})
t.check(s == 200, "X-API-Key is accepted", s)

# ---- lists, search, entities ---------------------------------------------------------------
s, b = get("/v1/lists")
names = [x["source"] for x in b["sources"]] if s == 200 else []
t.check(s == 200 and "ofac-sdn" in names and all(len(x["sha256"]) == 64 for x in b["sources"]),
        "lists give sources with hashes and counts", b if s != 200 else "")
q = urllib.parse.quote
s, b = get("/v1/search?q=" + q("Kim Sang-man"))
t.check(s == 200 and b["hits"] and b["hits"][0]["entity"] == "ofac-sdn:43377", "search finds Kim Sang-man first",
        s)
t.check(s == 200 and "explanation" in b["hits"][0] and b["hits"][0]["explanation"]["tokens"],
        "hits carry the explanation")
s, b = get("/v1/search?q=" + q("김상만") + "&limit=3")
t.check(s == 200 and any(x["entity"] == "ofac-sdn:43377" for x in b["hits"]) and len(b["hits"]) <= 3,
        "search takes Hangul and a limit")
s, b = get("/v1/search?q=" + q("Kim Sang-man") + "&type=organization")
t.check(s == 200 and all(x["type"] == "organization" for x in b["hits"]), "type filters the hits")
s, b = get("/v1/search?q=" + q("Kim Sang-man") + "&list=un-sc")
t.check(s == 200 and all(x["list"] == "un-sc" for x in b["hits"]), "list filters the hits")
s, b = get("/v1/search?q=" + q("Kim Sang-man") + "&program=SDGT")
t.check(s == 200 and all("SDGT" in x.get("programs", []) for x in b["hits"]), "program filters the hits")
s, b = get("/v1/search?q=" + q("Kim Sang-man") + "&min_score=0.99")
t.check(s == 200 and all(x["score"] >= 0.99 for x in b["hits"]), "min_score filters the hits")
s, b = get("/v1/search?q=" + q("Kim Sang-man"))
s2, b2 = get("/v1/search?q=" + q("Kim Sang-man"))
t.check(b == b2, "a repeated search gives the same answer")
for bad, why in (("", "missing q"), ("?q=", "empty q"), ("?q=a&min_score=2", "min_score out of range"),
                 ("?q=a&min_score=x", "min_score not a number"), ("?q=a&limit=0", "limit 0"),
                 ("?q=a&limit=100000", "limit too big"), ("?q=a&type=dragon", "unknown type"),
                 ("?q=a&list=nope", "unknown list"), ("?q=a&dob=1965-13", "bad dob"),
                 ("?q=a&color=red", "unknown parameter"), ("?q=a&q=b", "repeated parameter"),
                 ("?q=%FF%FE", "invalid UTF-8"), ("?q=%C0%AF", "overlong UTF-8"),
                 ("?q=%ED%A0%80", "UTF-8 surrogate"), ("?q=" + "a" * 1100, "overlong name")):
    s, b = get("/v1/search" + bad)
    t.check(s == 400 and is_error(b, 400), f"search with {why} gives 400", s)
s, b = get("/v1/entities/ofac-sdn:43377")
t.check(s == 200 and b["id"] == "ofac-sdn:43377" and len(b["names"]) >= 2 and b["wallets"] and b["documents"],
        "an entity comes with names, documents and wallets")
s, b = get("/v1/entities/ofac-sdn:0")
t.check(s == 404 and is_error(b, 404), "an unknown entity gives 404", s)
s, b = get("/v1/entities/%FF")
t.check(s == 400, "an entity id that is not UTF-8 gives 400", s)
s, b = get("/v2/nothing")
t.check(s == 404 and is_error(b, 404), "an unknown path gives 404", s)

# ---- methods ---------------------------------------------------------------------------------
s, h, data = srv.request("POST", "/v1/search?q=a", body="{}", headers=KEY)
t.check(s == 405 and "GET" in h.get("allow", ""), "POST on search gives 405 with Allow", s)
s, b = get("/v1/screen")
t.check(s == 405 and is_error(b, 405), "GET on screen gives 405", s)
s, h, data = srv.request("DELETE", "/healthz")
t.check(s == 405, "DELETE gives 405", s)

# ---- POST /v1/screen ---------------------------------------------------------------------------
s, b = post("/v1/screen", json.dumps({"id": "c1", "name": "Kim Sang-man", "dob": "1965"}))
t.check(s == 200 and b["id"] == "c1" and b["hits"][0]["entity"] == "ofac-sdn:43377", "screen finds the name", s)
s, b = post("/v1/screen", json.dumps({"wallets": ["0x97b1043abd9e6fc31681635166d430a458d14f9c"],
                                      "ids": [{"number": "109 420 132", "country": "KP"}]}))
t.check(s == 200 and len(b["hits"]) >= 2 and {x["matched_field"] for x in b["hits"]} == {"wallet", "document"},
        "screen matches wallets and document numbers", s)
for body, why in (('{"name": "Kim', "malformed JSON"), ("[1,2]", "an array"), ("", "an empty body"),
                  ('{"name": 42}', "a number for name"), ('{"name": "x", "limit": "5"}', "a string for limit"),
                  ('{"name": "x", "min_score": 7}', "min_score out of range"), ('{"dob": "1965"}', "no name"),
                  ('{"name": "x", "wallets": "abc"}', "wallets not an array"),
                  ('{"name": "x", "ids": [{"type": "passport"}]}', "an id without number"),
                  ('{"name": "x", "type": "dragon"}', "an unknown type"),
                  ('{"name": "x", "name": "y"}', "a duplicate field"),
                  (b'{"name": "\xff\xfe"}', "invalid UTF-8"), ('{"name": "x", "list": "nope"}', "an unknown list"),
                  ('{"name": "' + "a" * 2000 + '"}', "an overlong name")):
    s, b = post("/v1/screen", body)
    t.check(s == 400 and is_error(b, 400), f"screen with {why} gives 400", s)

# ---- POST /v1/screen/batch ------------------------------------------------------------------------
recs = [{"id": 1, "name": "Kim Sang-man"}, {"id": 2}, {"id": 3, "name": "Nobody Anybody Zzyzx"}]
s, b = post("/v1/screen/batch", json.dumps(recs))
t.check(s == 200 and b["summary"]["records"] == 3 and b["summary"]["errors"] == 1 and len(b["results"]) == 3 and
        b["results"][0]["hits"][0]["entity"] == "ofac-sdn:43377" and "error" in b["results"][1],
        "a JSON array batch gives one result per record, errors in place", b)
s, b = post("/v1/screen/batch", "\n".join(json.dumps(r) for r in recs) + "\n\n",
            headers={"Content-Type": "application/x-ndjson"})
t.check(s == 200 and len(b["results"]) == 3 and b["results"][2]["hits"] == [], "a JSON Lines batch works", s)
s, b = post("/v1/screen/batch", "id,name\r\nc1,Kim Sang-man\r\nc2,\"Jinyong IT Cooperation Co Ltd\"\r\n",
            headers={"Content-Type": "text/csv"})
t.check(s == 200 and len(b["results"]) == 2 and b["results"][0]["id"] == "c1", "a CSV batch works", s)
s, b = post("/v1/screen/batch", json.dumps([{"name": "x"}] * 51))
t.check(s == 413 and is_error(b, 413), "a batch over the record cap gives 413", s)
s, b = post("/v1/screen/batch", "[]")
t.check(s == 400, "an empty batch gives 400", s)
s, b = post("/v1/screen/batch", "[{]")
t.check(s == 400, "a malformed batch array gives 400", s)
s, b = post("/v1/screen/batch", "name\nx\n", headers={"Content-Type": "text/csv"})
t.check(s == 200 or s == 400, "a CSV batch without an id column is answered", s)
s, b = post("/v1/screen/batch", "nom\nx\n", headers={"Content-Type": "text/csv"})
t.check(s == 400 and is_error(b, 400), "a CSV batch without a name column gives 400", s)

# ---- sizes ------------------------------------------------------------------------------------------
s, b = post("/v1/screen", json.dumps({"name": "x", "pad": "a" * 70000}))
t.check(s == 413 and is_error(b, 413), "a body over the cap gives 413", s)
raw = srv.raw(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-0123456789abcdef\r\n"
              b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
              b"".join(b"8000\r\n" + b"a" * 0x8000 + b"\r\n" for _ in range(3)) + b"0\r\n\r\n")
t.check(status_of(raw) == 413, "a chunked body over the cap gives 413", raw[:60])
s, h, data = srv.request("GET", "/healthz", headers={"X-Padding": "p" * 9000})
t.check(s == 431 and json.loads(data)["error"]["status"] == 431, "headers over 8 KiB give a JSON 431", s)
raw = srv.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * 100000 + b"\r\n\r\n")
t.check(status_of(raw) in (431, None), "headers over the connection's memory give 431 or a close", raw[:60])
raw = srv.raw(b"GET /v1/search?q=" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
t.check(status_of(raw) in (414, 431, None), "an overlong request line is refused", raw[:60])
raw = srv.raw(b"BLAH\r\n\r\n")
t.check(status_of(raw) in (400, None), "garbage instead of a request gives 400 or a close", raw[:60])

# ---- slow clients and bursts --------------------------------------------------------------------------
slow = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
slow.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")   # never finishes
start = time.time()
s, b = get("/healthz", headers={})
t.check(s == 200, "others are served while a client stalls", s)
try:
    got = slow.recv(100)
except (ConnectionResetError, socket.timeout):
    got = b""
waited = time.time() - start
t.check(status_of(got) in (408, None) and waited < 9, "a stalled client is cut off after the timeout",
        f"{got[:40]!r} after {waited:.1f}s")
slow.close()

burst = []
for _ in range(200):
    burst.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
s, b = get("/healthz", headers={})
t.check(s == 200, "200 idle connections do not stop service", s)
refused = 0
for _ in range(200):   # past the cap of 256 per address: these are refused or closed at once
    try:
        c = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        burst.append(c)
    except OSError:
        refused += 1
for c in burst:
    c.close()
time.sleep(0.2)
s, b = get("/healthz", headers={})
t.check(s == 200, "after a burst past the connection cap the server serves again", s)

# ---- metrics ------------------------------------------------------------------------------------------
s, h, data = srv.request("GET", "/metrics", headers=KEY)
text = data.decode()
t.check(s == 200 and h["content-type"].startswith("text/plain"), "metrics are served as text", s)
t.check('sanctum_http_requests_total{route="search",status="200"}' in text and
        'sanctum_http_requests_total{route="search",status="400"}' in text, "metrics count by route and status")
t.check('sanctum_http_request_duration_seconds_bucket{route="search",le="+Inf"}' in text, "metrics have a histogram")
t.check('sanctum_list_info{source="ofac-sdn"' in text and "sanctum_lists_generation 1" in text,
        "metrics give the loaded list versions")

# ---- reload under load: nobody fails, and the generation moves on --------------------------------------
results = []
stop = threading.Event()


def hammer():
    n = 0
    while not stop.is_set() and n < 400:
        n += 1
        try:
            s, b = get("/v1/search?q=" + q("Kim Sang-man") + f"&limit={1 + n % 5}")
            results.append(s == 200 and b["hits"][0]["entity"] == "ofac-sdn:43377")
        except Exception as e:  # a failed request is a failure, whatever it was
            results.append(False)


threads = [threading.Thread(target=hammer) for _ in range(3)]
for th in threads:
    th.start()
time.sleep(0.3)
srv.signal(signal.SIGHUP)
deadline = time.time() + 90
gen = 1
while time.time() < deadline:
    s, b = get("/healthz", headers={})
    gen = b["generation"] if s == 200 else gen
    if gen == 2:
        break
    time.sleep(0.2)
time.sleep(0.3)
stop.set()
for th in threads:
    th.join(60)
t.check(gen == 2, "SIGHUP loads the lists again", gen)
t.check(results and all(results), "no request fails during a reload",
        f"{results.count(False)} of {len(results)} failed")

# ---- SIGTERM drains: a request in flight is answered, then the server exits 0 -------------------------------
body = json.dumps({"name": "Kim Sang-man"}).encode()
late = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
late.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-0123456789abcdef\r\n"
             b"Content-Type: application/json\r\nConnection: close\r\n" +
             f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:5])
time.sleep(0.3)
srv.signal(signal.SIGTERM)
time.sleep(0.3)
late.sendall(body[5:])
reply = b""
while True:
    try:
        chunk = late.recv(65536)
    except (ConnectionResetError, socket.timeout):
        break
    if not chunk:
        break
    reply += chunk
late.close()
t.check(status_of(reply) == 200 and b"ofac-sdn:43377" in reply, "a request in flight at SIGTERM is answered",
        reply[:80])
rc = srv.wait(60)
t.check(rc == 0, "SIGTERM exits 0", rc)
# ---- the audit trail: every screening is recorded with who asked ----------------------------------------------
import sqlite3
db = sqlite3.connect(srv.db)
cols = [r[1] for r in db.execute("PRAGMA table_info(audit)")]
rows = db.execute("SELECT * FROM audit").fetchall()
db.close()
who = cols.index("who") if "who" in cols else None
t.check(len(rows) > 50, "screenings are recorded in the audit trail", len(rows))
t.check(who is not None and {r[who] for r in rows} <= {"alice", "onboarding"} and any(r[who] == "alice" for r in rows),
        "the audit trail records the key's name as who")
err = srv.stderr()
t.check("Kim" not in err and "alice-0123456789abcdef" not in err, "no name or key reaches the log")
t.finish()
