"""alertlib.py - builds a small store with monitoring alerts through the
`sanctum` command, for the server tests of the alert routes.

The lists are cut from the real ones (a few hundred OFAC entries and a few UN
entries), stored with `sanctum update`, and four subjects are monitored, so
that `sanctum monitor run` raises a few alerts. Everything lives in a
temporary SANCTUM_HOME, removed when the test ends.
"""
import atexit
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from serverlib import CLI, DATA


def cli(home, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("SANCTUM_DB", "SANCTUM_DATA")}
    env["SANCTUM_HOME"] = home
    p = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise RuntimeError(f"sanctum {' '.join(args)} exited {p.returncode}: {p.stderr[-1000:]}")
    return p


def make_alert_home():
    """A fresh SANCTUM_HOME whose store holds open alerts; returns its path."""
    tmp = tempfile.mkdtemp(prefix="sanctum-alerts-")
    atexit.register(shutil.rmtree, tmp, True)   # runs after the servers started later are stopped
    lists = os.path.join(tmp, "lists")
    os.makedirs(os.path.join(lists, "ofac-sdn"))
    os.makedirs(os.path.join(lists, "un-sc"))
    with open(os.path.join(DATA, "ofac-sdn", "sdn.csv"), "rb") as f:
        rows = f.read().split(b"\n")
    keep = rows[:400] + [r for r in rows if r.startswith(b"43377,")]
    with open(os.path.join(lists, "ofac-sdn", "sdn.csv"), "wb") as f:
        f.write(b"\n".join(keep) + b"\n")
    tree = ET.parse(os.path.join(DATA, "un-sc", "consolidated.xml"))
    for group, n in (("INDIVIDUALS", 40), ("ENTITIES", 20)):
        g = tree.getroot().find(group)
        for child in list(g)[n:]:
            g.remove(child)
    tree.write(os.path.join(lists, "un-sc", "consolidated.xml"), encoding="UTF-8", xml_declaration=True)
    people = os.path.join(tmp, "people.jsonl")
    with open(people, "w") as f:
        f.write('{"id": "c1", "name": "Kim Sang-man", "type": "person"}\n'
                '{"id": "c2", "name": "Maria Garcia Lopez"}\n'
                '{"id": 3, "name": "Aerocaribbean Airlines"}\n'
                '{"id": "c5", "wallets": ["0x97b1043abd9e6fc31681635166d430a458d14f9c"]}\n')
    home = os.path.join(tmp, "home")
    cli(home, "update", "--from", lists)
    cli(home, "monitor", "add", people)
    cli(home, "monitor", "run")
    return home
