"""openapi_checks.py - the checks behind test_openapi.sh: docs/openapi.yaml
says what the server really does.

For each documented operation, real requests are made that should produce
each documented status; the status must be documented for that operation and
the JSON body must validate against the documented schema. Every route the
server answers must be documented.
"""
import json
import os
import urllib.parse

import jsonschema
import yaml

from alertlib import make_alert_home
from serverlib import SOURCE, Checks, Server

t = Checks()
with open(os.path.join(SOURCE, "docs", "openapi.yaml"), "rb") as f:
    raw_doc = f.read()
doc = yaml.safe_load(raw_doc)
t.check(doc.get("openapi", "").startswith("3."), "the document is OpenAPI 3")

srv = Server("--threads", "2", "--max-body", "65536", "--max-batch", "50")
s, h, served = srv.request("GET", "/openapi.yaml")
t.check(s == 200 and served == raw_doc, "the server serves docs/openapi.yaml as it is")

served_routes = ["/healthz", "/v1/lists", "/v1/search", "/v1/screen", "/v1/screen/batch", "/v1/entities/{id}",
                 "/metrics", "/openapi.yaml", "/v1/alerts", "/v1/alerts/{id}/resolve"]
for r in served_routes:
    t.check(r in doc["paths"], f"{r} is documented")


def resolve(obj):
    while isinstance(obj, dict) and "$ref" in obj and obj["$ref"].startswith("#/components/responses/"):
        obj = doc["components"]["responses"][obj["$ref"].rsplit("/", 1)[1]]
    return obj


def check(method, template, path, want, body=None, headers=None):
    s, h, data = srv.request(method, path, body=body, headers=headers or {})
    op = doc["paths"].get(template, {}).get(method.lower())
    desc = f"{method} {template} -> {want}"
    if not t.check(op is not None, f"{method} {template} is documented"):
        return
    t.check(s == want, f"{desc}: the server answers {want}", s)
    responses = op.get("responses", {})
    if not t.check(str(s) in responses, f"{desc}: status {s} is documented for the operation"):
        return
    resp = resolve(responses[str(s)])
    content = resp.get("content", {})
    ctype = h.get("content-type", "").split(";")[0]
    if ctype == "application/json":
        media = content.get("application/json")
        if not t.check(media is not None, f"{desc}: a JSON body is documented"):
            return
        schema = dict(media["schema"])
        schema["components"] = doc["components"]   # so that "#/components/..." resolves
        try:
            jsonschema.Draft202012Validator(schema).validate(json.loads(data))
            t.check(True, desc)
        except jsonschema.ValidationError as e:
            t.check(False, f"{desc}: the body matches the documented schema", e.message[:300])
    else:
        t.check(any(ctype == c or c.split("/")[0] == ctype.split("/")[0] for c in content),
                f"{desc}: the content type {ctype} is documented", list(content))


q = urllib.parse.quote
check("GET", "/healthz", "/healthz", 200)
check("GET", "/v1/lists", "/v1/lists", 200)
check("GET", "/v1/search", "/v1/search?q=" + q("Kim Sang-man") + "&dob=1965&country=KP", 200)
check("GET", "/v1/search", "/v1/search?q=" + q("Jinyong IT Cooperation") + "&min_score=0.5&limit=20", 200)
check("GET", "/v1/search", "/v1/search?q=", 400)
check("GET", "/v1/search", "/v1/search?q=x", 431, headers={"X-Padding": "p" * 9000})
check("POST", "/v1/screen", "/v1/screen", 200,
      body=json.dumps({"id": 5, "name": "Kim Sang-man", "wallets": ["0x97b1043abd9e6fc31681635166d430a458d14f9c"],
                       "ids": ["109420132", {"number": "827220538", "country": "KP", "type": "passport"}]}))
check("POST", "/v1/screen", "/v1/screen", 400, body="{")
check("POST", "/v1/screen", "/v1/screen", 413, body=json.dumps({"name": "x", "pad": "p" * 70000}))
check("POST", "/v1/screen/batch", "/v1/screen/batch", 200,
      body=json.dumps([{"id": "a", "name": "Kim Sang-man"}, {"id": "b"}, {"id": "c", "wallets": ["1D6gG9iKEhPitTcWRJiniuj1jYM2hNeAfJ"]}]))
check("POST", "/v1/screen/batch", "/v1/screen/batch", 400, body="[")
check("POST", "/v1/screen/batch", "/v1/screen/batch", 413, body=json.dumps([{"name": "x"}] * 60))
# workbooks: the XLSX type is documented for the request and the answer, and both really work
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
batch_op = doc["paths"]["/v1/screen/batch"]["post"]
t.check(XLSX in batch_op["requestBody"]["content"], "an XLSX request body is documented for the batch")
t.check(XLSX in resolve(batch_op["responses"]["200"]).get("content", {}), "an XLSX answer is documented for the batch")
t.check(any(p.get("name") == "format" and "xlsx" in p.get("schema", {}).get("enum", []) for p in batch_op["parameters"]),
        "the batch's format=xlsx parameter is documented")
with open(os.path.join(SOURCE, "tests", "server", "data", "customers.xlsx"), "rb") as f:
    book = f.read()
check("POST", "/v1/screen/batch", "/v1/screen/batch", 200, body=book, headers={"Content-Type": XLSX})
check("POST", "/v1/screen/batch", "/v1/screen/batch", 400, body=b"PK\x03\x04 not a zip", headers={"Content-Type": XLSX})
s, h, data = srv.request("POST", "/v1/screen/batch?format=xlsx", body=book, headers={"Content-Type": XLSX})
ctype = h.get("content-type", "").split(";")[0]
t.check(s == 200 and ctype == XLSX and ctype in resolve(batch_op["responses"]["200"]).get("content", {}),
        "POST /v1/screen/batch?format=xlsx -> 200: the answer's type is documented exactly", (s, ctype))
check("GET", "/v1/entities/{id}", "/v1/entities/ofac-sdn:43377", 200)
check("GET", "/v1/entities/{id}", "/v1/entities/un-sc:nothing", 404)
check("GET", "/metrics", "/metrics", 200)
check("GET", "/openapi.yaml", "/openapi.yaml", 200)
# without a store the alert routes answer 503; with one, every documented status
check("GET", "/v1/alerts", "/v1/alerts", 503)
check("POST", "/v1/alerts/{id}/resolve", "/v1/alerts/1/resolve", 503, body='{"resolution": "true-match"}')
home = make_alert_home()
asrv = Server("--threads", "2", env={"SANCTUM_HOME": home, "SANCTUM_DB": os.path.join(home, "sanctum.db")})
srv, plain = asrv, srv
check("GET", "/v1/alerts", "/v1/alerts", 200)
check("GET", "/v1/alerts", "/v1/alerts?status=all", 200)
check("GET", "/v1/alerts", "/v1/alerts?status=maybe", 400)
check("POST", "/v1/alerts/{id}/resolve", "/v1/alerts/1/resolve", 200,
      body=json.dumps({"resolution": "true-match", "note": "same person"}))
check("POST", "/v1/alerts/{id}/resolve", "/v1/alerts/1/resolve", 409, body='{"resolution": "true-match"}')
check("POST", "/v1/alerts/{id}/resolve", "/v1/alerts/9999/resolve", 404, body='{"resolution": "true-match"}')
check("POST", "/v1/alerts/{id}/resolve", "/v1/alerts/2/resolve", 400, body='{"resolution": "later"}')
check("GET", "/v1/alerts", "/v1/alerts?status=all", 200)
asrv.kill()
srv = plain
# a whole page of real hits, across types and lists, fits the Hit schema
hits = []
for name in ("Korea Trading Company", "Mohammed Ali", "Bank", "Kim", "Kim Chol", "Ahmed Hassan", "Ri Song Chol", "Trading LLC"):
    s, h, data = srv.request("GET", "/v1/search?q=" + q(name) + "&min_score=0.3&limit=200")
    hits += json.loads(data)["hits"] if s == 200 else []
schema = {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}, "components": doc["components"]}
try:
    jsonschema.Draft202012Validator(schema).validate(hits)
    t.check(len(hits) > 50, "many real hits fit the Hit schema", len(hits))
except jsonschema.ValidationError as e:
    t.check(False, "many real hits fit the Hit schema", e.message[:300])
srv.kill()
t.finish()
