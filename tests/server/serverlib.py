"""serverlib.py - starts `sanctum serve` on a free loopback port for the server
tests, talks HTTP to it with the standard library only, and counts checks.

The server is started with --port-file, so the tests never guess a port, and
it is always stopped (SIGTERM, then SIGKILL after a bounded wait) when the
test ends, whatever happens.
"""
import atexit
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

CLI = os.environ.get("SANCTUM_CLI")
DATA = os.environ.get("SANCTUM_DATA")
SOURCE = os.environ.get("SANCTUM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, desc, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {desc}" + (f" ({detail})" if detail else ""), file=sys.stderr)
        return cond

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


class Server:
    def __init__(self, *args, startup=120, env=None):
        if not CLI or not DATA:
            print("SANCTUM_CLI and SANCTUM_DATA must be set", file=sys.stderr)
            sys.exit(2)
        self.tmp = tempfile.mkdtemp(prefix="sanctum-serve-")
        self.port_file = os.path.join(self.tmp, "port")
        self.log = open(os.path.join(self.tmp, "stderr"), "w+")
        cmd = [CLI, "--data", DATA, "serve", "--listen", "127.0.0.1:0", "--port-file", self.port_file, *args]
        # the audit store goes to the test's own folder, never to the user's home
        penv = {k: v for k, v in os.environ.items() if k not in ("SANCTUM_HOME", "SANCTUM_DB")}
        penv["SANCTUM_DB"] = os.path.join(self.tmp, "sanctum.db")
        penv.update(env or {})
        self.db = penv["SANCTUM_DB"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, env=penv)
        atexit.register(self.kill)
        deadline = time.time() + startup
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                self.log.seek(0)
                raise RuntimeError("server did not start: " + self.log.read()[-2000:])
            time.sleep(0.1)
        with open(self.port_file) as f:
            self.port = int(f.read().strip())

    def request(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), data
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None):
        status, hdrs, data = self.request(method, path, body, headers)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, None

    def raw(self, payload, timeout=10):
        """Sends raw bytes on a fresh connection; returns what came back before the close."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(payload)
            out = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                out += chunk
            return out
        finally:
            s.close()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=60):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None

    def stderr(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def status_of(raw):
    """The status code of a raw HTTP response, or None when the connection closed without one."""
    if not raw.startswith(b"HTTP/1."):
        return None
    return int(raw.split(b" ", 2)[1])
