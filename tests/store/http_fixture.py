#!/usr/bin/env python3
"""http_fixture.py - a local HTTP server for the download tests of `sanctum update`.

Usage: http_fixture.py ROOT PORTFILE [LIFETIME_SECONDS]

Binds 127.0.0.1 on a free port, writes the port to PORTFILE, and stops by
itself after LIFETIME_SECONDS (default 120). The first path segment picks
the behaviour, the last names a file found under ROOT/ofac-sdn or ROOT/un-sc:

  /ok/.../NAME       the file, with its Content-Length
  /drop/.../NAME     announces the full length, sends half, closes the connection
  /garbage/.../NAME  status 200 with random bytes
  /missing/.../NAME  status 404
  /slow/.../NAME     headers, then silence until the client gives up
"""
import os
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = sys.argv[1]
PORTFILE = sys.argv[2]
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0


def find(name):
    for folder in ("ofac-sdn", "un-sc"):
        path = os.path.join(ROOT, folder, name)
        if os.path.isfile(path):
            return path
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def do_GET(self):
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        mode = parts[0] if parts else ""
        name = parts[-1] if parts else ""
        path = find(name)
        if mode == "missing" or path is None:
            body = b"not here\n"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        data = open(path, "rb").read()
        if mode == "garbage":
            rnd = random.Random(7)
            data = bytes(rnd.getrandbits(8) for _ in range(200000))
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if mode == "drop":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if mode == "slow":
            time.sleep(min(30.0, LIFETIME))
            return
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that give up early are part of the tests


def main():
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(PORTFILE + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(PORTFILE + ".tmp", PORTFILE)
    threading.Timer(LIFETIME, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
