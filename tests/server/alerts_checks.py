"""alerts_checks.py - the checks behind test_alerts.sh: the monitoring alerts
over HTTP. A store with alerts is made with the `sanctum` command, the server
is started on it, an alert is listed and resolved through the API, and the
command then shows it resolved by the key's name. Also the refusals: bad
bodies (400), unknown alerts (404), alerts already resolved (409), missing
keys (401) and a server without a store (503).
"""
import json
import os

from alertlib import cli, make_alert_home
from serverlib import Checks, Server

t = Checks()
home = make_alert_home()
keyfile = os.path.join(home, "keys")
with open(keyfile, "w") as f:
    f.write("alice:alice-key-0123456789abcdef\n")
auth = {"Authorization": "Bearer alice-key-0123456789abcdef"}
srv = Server("--threads", "2", "--api-key-file", keyfile,
             env={"SANCTUM_HOME": home, "SANCTUM_DB": os.path.join(home, "sanctum.db")})

s, body = srv.json("GET", "/v1/alerts")
t.check(s == 401, "listing alerts needs the key when keys are configured", s)
s, body = srv.json("POST", "/v1/alerts/1/resolve", body='{"resolution": "true-match"}')
t.check(s == 401, "resolving needs the key when keys are configured", s)

s, alerts = srv.json("GET", "/v1/alerts", headers=auth)
t.check(s == 200 and isinstance(alerts, list) and len(alerts) >= 1, "GET /v1/alerts lists the open alerts", s)
alerts = alerts or []
t.check(all(a["status"] == "open" for a in alerts), "only open alerts are listed by default")
t.check(all({"id", "subject", "entity", "entity_name", "score"} <= set(a) for a in alerts),
        "each alert has its id, subject, entity and score")
s, all_alerts = srv.json("GET", "/v1/alerts?status=all", headers=auth)
t.check(s == 200 and len(all_alerts or []) == len(alerts), "status=all lists the same alerts before any verdict")
s, body = srv.json("GET", "/v1/alerts?status=closed", headers=auth)
t.check(s == 400 and "status" in body["error"]["message"], "an unknown status is refused with 400", s)

first = alerts[0]["id"] if alerts else 1
path = f"/v1/alerts/{first}/resolve"
for bad, what in (("{", "invalid JSON"), ("[]", "a body that is not an object"), ("", "an empty body"),
                  ('{"note": "x"}', "a missing resolution"), ('{"resolution": "maybe"}', "an unknown resolution"),
                  ('{"resolution": "true-match", "note": 5}', "a note that is not a string"),
                  ('{"resolution": "true-match", "extra": 1}', "an unknown field")):
    s, body = srv.json("POST", path, body=bad, headers=auth)
    t.check(s == 400 and body and body["error"]["status"] == 400, f"{what} is refused with 400", s)
s, body = srv.json("POST", "/v1/alerts/abc/resolve", body='{"resolution": "true-match"}', headers=auth)
t.check(s == 400, "a malformed alert id is refused with 400", s)
s, body = srv.json("POST", "/v1/alerts/999999/resolve", body='{"resolution": "true-match"}', headers=auth)
t.check(s == 404 and body["error"]["status"] == 404, "an unknown alert is 404", s)
s, body = srv.json("GET", f"/v1/alerts/{first}/resolve", headers=auth)
t.check(s == 405, "GET on the resolve route is 405", s)

s, body = srv.json("POST", path, body=json.dumps({"resolution": "false-positive", "note": "born 1990, other person"}),
                   headers=auth)
t.check(s == 200 and body and body.get("id") == first and body.get("status") == "false-positive",
        "resolving answers with the resolved alert", (s, body))
t.check(body and body.get("resolved_by") == "alice", "the resolution is recorded under the key's name", body)
t.check(body and body.get("note") == "born 1990, other person", "the note is kept", body)
s, body = srv.json("POST", path, body='{"resolution": "true-match"}', headers=auth)
t.check(s == 409 and body["error"]["status"] == 409, "resolving twice is 409", s)

s, still_open = srv.json("GET", "/v1/alerts", headers=auth)
t.check(s == 200 and first not in [a["id"] for a in still_open], "the resolved alert leaves the open list")
s, everything = srv.json("GET", "/v1/alerts?status=all", headers=auth)
t.check(s == 200 and first in [a["id"] for a in everything], "status=all still lists the resolved alert")

p = cli(home, "alerts", "--all", "--json", check=False)
t.check(p.returncode == 0, "the command lists alerts while the server runs", p.stderr[-300:])
try:
    mine = [a for a in json.loads(p.stdout) if a["id"] == first]
except ValueError:
    mine = []
t.check(mine and mine[0]["status"] == "false-positive" and mine[0]["resolved_by"] == "alice",
        "the command shows the alert resolved as a false positive by alice", mine)
srv.kill()

# without a store, both routes say how to get one
bare = Server("--threads", "1")
s, body = bare.json("GET", "/v1/alerts")
t.check(s == 503 and "SANCTUM_HOME" in body["error"]["message"], "listing without a store is 503", (s, body))
s, body = bare.json("POST", "/v1/alerts/1/resolve", body='{"resolution": "true-match"}')
t.check(s == 503 and "--audit" in body["error"]["message"], "resolving without a store is 503", (s, body))
bare.kill()
t.finish()
