#!/bin/sh
# load_search.sh - load test of GET /v1/search on loopback with wrk.
#
# Starts `sanctum serve` on a free 127.0.0.1 port, warms it up, then runs wrk
# for a bounded time and prints requests/s, p50/p90/p99 latency, errors
# (non-2xx answers plus socket errors), the server's resident memory before
# and after the run, and the CPU time per request of the server (user and
# system) and of wrk. On a shared machine the CPU per request is the steadier
# figure: requests/s also depends on what else runs. The server is stopped
# (SIGTERM) at the end.
#
# Usage: bench/load_search.sh [SECONDS] [CONNECTIONS]
# Environment:
#   SANCTUM_CLI   the binary (default: build-serve-rel/sanctum, else build-rel/sanctum)
#   SANCTUM_DATA  the lists (default: data/ in the source tree)
#   LISTS         lists to load, e.g. ofac-sdn,un-sc,kr,us-csl,uk (default: the
#                 default lists)
#   THREADS       server worker threads (default: online cores)
#   WRK_THREADS   wrk threads (default 1: one event loop keeps 32 connections busy, and the
#                 load generator shares the machine's cores with the server)
#   MODE          "same": one name over and over (answers come from the response
#                 cache after the first); "mixed" (default): a rotating set of 64
#                 names; "nocache": mixed, with the server's cache turned off
#   VERBOSE       non-empty: print wrk's own report as well
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
conns=${2:-64}
mode=${MODE:-mixed}
cli=${SANCTUM_CLI:-}
if [ -z "$cli" ]; then
    for c in "$here/build-serve-rel/sanctum" "$here/build-rel/sanctum"; do
        if [ -x "$c" ]; then cli=$c; break; fi
    done
fi
[ -x "$cli" ] || { echo "load_search: no sanctum binary; set SANCTUM_CLI" >&2; exit 2; }
data=${SANCTUM_DATA:-$here/data}
command -v wrk >/dev/null || { echo "load_search: wrk is not installed" >&2; exit 2; }
case $secs in ''|*[!0-9]*) echo "load_search: SECONDS must be a number" >&2; exit 2;; esac
[ "$secs" -le 600 ] || { echo "load_search: at most 600 seconds" >&2; exit 2; }

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

extra=
[ "$mode" = nocache ] && extra=--no-cache
case $mode in same|mixed|nocache) ;; *) echo "load_search: MODE is same, mixed or nocache" >&2; exit 2;; esac
threads_opt=
[ -n "${THREADS:-}" ] && threads_opt="--threads $THREADS"
lists=${LISTS:-}
set -- --data "$data"
[ -n "$lists" ] && set -- "$@" --list "$lists"
wrk_threads=${WRK_THREADS:-1}
# shellcheck disable=SC2086
"$cli" "$@" serve --listen 127.0.0.1:0 --port-file "$tmp/port" $threads_opt $extra 2>"$tmp/server.log" &
pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 2; }
    [ $i -lt 1200 ] || { echo "load_search: the server did not start" >&2; exit 2; }
    sleep 0.1
    i=$((i + 1))
done
port=$(cat "$tmp/port")
url="http://127.0.0.1:$port/v1/search?q=Kim%20Sang-man"

# the rotating names: real listed names, misspellings, Hangul and misses
cat >"$tmp/mixed.lua" <<'LUA'
local names = { "Kim Sang-man", "Kim Sangman", "Jinyong IT Cooperation Co Ltd", "Chinyong Information Technology",
  "Pak Hwa Song", "Ri Jong Won", "Korea Kwangson Banking", "Mohammed Ali", "Osama bin Laden", "Usama bin Ladin",
  "Bank Melli Iran", "Vladimir Putin", "Rosneft", "Sberbank", "Hezbollah", "Hizballah", "Al Qaida", "Kim Jong Un",
  "Choe Ryong Hae", "Ocean Maritime Management", "Mansudae Overseas Project", "Korea Mining Development",
  "Tanchon Commercial Bank", "Ko Chol Man", "Han Jang Su", "Jang Song Guk", "Kang Chol Su", "Ri Su Yong",
  "Golden Star Co", "Liberty Shipping", "Wang Yu", "Ali Hassan", "Ahmad Khan", "Global Trading LLC",
  "John Smith", "Maria Garcia", "Wei Zhang", "Hans Mueller", "Olga Ivanova", "Ivan Petrov", "Fatima Ahmed",
  "Samsung Electronics", "Acme Widgets Ltd", "Pyongyang Trading", "Dandong Hongxiang", "Ma Xiaohong",
  "김상만", "박화성", "Северный", "Korea Ryonbong General", "Daedong Credit Bank", "Amroggang Development",
  "Green Pine Associated", "Namchongang Trading", "Hong Kong Electronics", "Leader International",
  "Korea Tangun Trading", "Korea Daesong Bank", "First Oriental Bank", "Korea United Development Bank",
  "Ilsim International Bank", "Koryo Bank", "Kumgang Bank", "Zzyzx Nobody" }
-- the requests are built once per wrk thread, so that the load generator,
-- which shares the machine with the server, spends its time sending
local reqs = {}
local i = 0
init = function(args)
  for k, n in ipairs(names) do
    local enc = n:gsub("([^%w%-%.%_%~])", function(c) return string.format("%%%02X", string.byte(c)) end)
    reqs[k] = wrk.format("GET", "/v1/search?q=" .. enc)
  end
end
request = function()
  i = i + 1
  return reqs[(i % #reqs) + 1]
end
LUA
script=
[ "$mode" = same ] || script="-s $tmp/mixed.lua"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
# user and system CPU time of the server so far, in clock ticks
cpu() { sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12, $13}'; }
# warm-up: fault the index in and fill the caches the way the run will
# shellcheck disable=SC2086
wrk -t1 -c"$conns" -d3s $script "$url" >/dev/null 2>&1 || true
before=$(rss)
cpu0=$(cpu)
load=$(cut -d' ' -f1 /proc/loadavg)
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f wrk-cpu:%U:%S -o $tmp/wrk.time"
# shellcheck disable=SC2086
$timer wrk -t"$wrk_threads" -c"$conns" -d"${secs}s" --latency $script "$url" >"$tmp/wrk.out" 2>&1 || true
cpu1=$(cpu)
after=$(rss)
sleep 1
settled=$(rss)
wrkcpu=$(sed -n 's/^wrk-cpu:\([0-9.]*\):\([0-9.]*\)$/\1 \2/p' "$tmp/wrk.time" 2>/dev/null || true)

awk -v mode="$mode" -v secs="$secs" -v conns="$conns" -v before="$before" -v after="$after" -v settled="$settled" \
    -v lists="${lists:-default}" -v threads="${THREADS:-cores}" -v wt="$wrk_threads" -v load="$load" \
    -v cpu0="$cpu0" -v cpu1="$cpu1" -v tck="$(getconf CLK_TCK)" -v wrkcpu="$wrkcpu" '
function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
/Requests\/sec/ { rps = $2 }
/^ +50%/ { p50 = ms($2) }
/^ +90%/ { p90 = ms($2) }
/^ +99%/ { p99 = ms($2) }
/requests in/ { total = $1 }
/Non-2xx/ { non2xx = $NF }
/Socket errors/ { gsub(/,/, ""); sock = $4 + $6 + $8 + $10 }
END {
  printf "GET /v1/search, mode %s, lists %s, %d s, %d connections\n", mode, lists, secs, conns
  printf "threads:      server %s, wrk %d (load average before the run %s)\n", threads, wt, load
  printf "requests:     %d\n", total
  printf "requests/s:   %.0f\n", rps
  printf "latency p50:  %.3f ms\n", p50
  printf "latency p90:  %.3f ms\n", p90
  printf "latency p99:  %.3f ms\n", p99
  printf "errors:       %d (non-2xx %d, socket %d)\n", non2xx + sock, non2xx, sock
  printf "RSS before:   %.1f MiB\n", before / 1024
  printf "RSS after:    %.1f MiB (1 s later %.1f MiB)\n", after / 1024, settled / 1024
  if (total > 0) {
    split(cpu0, a, " "); split(cpu1, b, " ")
    u = (b[1] - a[1]) / tck; s = (b[2] - a[2]) / tck
    printf "server CPU:   %.1f us per request (user %.1f, system %.1f)\n", (u + s) / total * 1e6, u / total * 1e6, s / total * 1e6
    if (wrkcpu != "") { split(wrkcpu, w, " "); printf "wrk CPU:      %.1f us per request\n", (w[1] + w[2]) / total * 1e6 }
  }
}' "$tmp/wrk.out"
if [ -n "${VERBOSE:-}" ]; then cat "$tmp/wrk.out"; fi
