"""server_xlsx_checks.py - the checks behind test_server_xlsx.sh.

One server is started with small limits (a 64 KiB body, 3 records per batch)
and an audit store. The upload is data/customers.xlsx, a real workbook made
with libxlsxwriter (data/make_customers_xlsx.c): a title row, the header on
row 2, then Kim Sang-man, a listed company and a nobody. Broken variants are
made from it here by rewriting one part of the zip.
"""
import io
import json
import os
import re
import subprocess
import tempfile
import zipfile

from serverlib import CLI, DATA, SOURCE, Checks, Server

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
t = Checks()
with open(os.path.join(SOURCE, "tests", "server", "data", "customers.xlsx"), "rb") as f:
    BOOK = f.read()
srv = Server("--threads", "2", "--max-body", "65536", "--max-batch", "3", "--audit")


def post(body, ctype=XLSX, query="", headers=None):
    h = {"Content-Type": ctype} if ctype else {}
    h.update(headers or {})
    return srv.request("POST", "/v1/screen/batch" + query, body=body, headers=h)


def as_json(data):
    try:
        return json.loads(data)
    except ValueError:
        return None


def message(data):
    b = as_json(data)
    return b.get("error", {}).get("message", "") if isinstance(b, dict) else ""


def patched(part, change):
    """BOOK with one part of the package rewritten by change(bytes) -> bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BOOK)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


def sheet_rows(book):
    """The rows of a workbook's first sheet as lists of cell texts (inline or shared strings, numbers)."""
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in re.findall(rb"<si>(.*?)</si>", z.read("xl/sharedStrings.xml"), re.S):
                shared.append(b"".join(re.findall(rb"<t[^>]*>(.*?)</t>", si, re.S)).decode())
        rows = []
        for row in re.findall(rb"<row[^>]*>(.*?)</row>", z.read("xl/worksheets/sheet1.xml"), re.S):
            cells = []
            for attrs, inner in re.findall(rb"<c([^>]*)>(.*?)</c>", row, re.S):
                v = re.search(rb"<v>(.*?)</v>", inner, re.S)
                if b't="s"' in attrs:
                    cells.append(shared[int(v.group(1))])
                elif b't="inlineStr"' in attrs:
                    cells.append(b"".join(re.findall(rb"<t[^>]*>(.*?)</t>", inner, re.S)).decode())
                else:
                    cells.append(v.group(1).decode() if v else "")
            rows.append(cells)
        return rows


# ---- a workbook in -----------------------------------------------------------------------
s, h, data = post(BOOK)
b = as_json(data)
ok = s == 200 and isinstance(b, dict)
t.check(ok and b["summary"] == {"records": 3, "screened": 3, "with_hits": 2, "hits": b["summary"]["hits"], "errors": 0},
        "an XLSX upload is screened: three records, two with hits", data[:300])
res = b["results"] if ok else []
t.check(len(res) == 3 and res[0]["id"] == "c1" and res[0]["hits"] and res[0]["hits"][0]["entity"] == "ofac-sdn:43377",
        "Kim Sang-man from the workbook hits ofac-sdn:43377 first", res[:1])
t.check(len(res) == 3 and res[2]["id"] == "c3" and res[2]["hits"] == [], "the nobody has no hits", res[2:])
t.check(len(res) == 3 and res[0]["hits"][0]["explanation"]["tokens"], "workbook hits carry the explanation")
s, h, data = post(BOOK, ctype="application/octet-stream")
b = as_json(data)
t.check(s == 200 and b["summary"]["records"] == 3 and b["results"][0]["hits"][0]["entity"] == "ofac-sdn:43377",
        "application/octet-stream with the zip signature is read as a workbook", s)
s, h, data = post(BOOK, ctype=None)
t.check(s == 200 and as_json(data)["summary"]["records"] == 3, "a zip body without a type is read as a workbook", s)
s, h, data = post(BOOK, ctype="text/csv")
t.check(s == 400, "a workbook sent as text/csv is refused (it is not UTF-8 text)", s)

# ---- broken workbooks: 400, naming the problem --------------------------------------------------
s, h, data = post(b"id,name\nc1,Kim Sang-man\n")
t.check(s == 400 and "not an XLSX workbook" in message(data), "CSV text sent as XLSX gives 400, not a workbook",
        (s, message(data)))
s, h, data = post(BOOK[: len(BOOK) // 2])
t.check(s == 400 and "XLSX" in message(data), "a workbook cut in half gives 400", (s, message(data)))
s, h, data = post(b"", ctype=XLSX)
t.check(s == 400 and "empty" in message(data), "an empty XLSX body gives 400", (s, message(data)))
bad = patched("xl/worksheets/sheet1.xml", lambda x: x.replace(b'<c r="B3" t="s"><v>', b'<c r="B3" t="s"><v>9', 1))
s, h, data = post(bad)
m = message(data)
t.check(s == 400 and 'sheet "customers"' in m and "row 3" in m and "shared string" in m,
        "a cell pointing at a missing shared string gives 400 naming the sheet and the row", (s, m))
bad = patched("xl/worksheets/sheet1.xml", lambda x: x.replace(b'<c r="A4"', b'<c r="4A"', 1))
s, h, data = post(bad)
m = message(data)
t.check(s == 400 and 'sheet "customers"' in m and "row 4" in m and "cell reference" in m,
        "a bad cell reference gives 400 naming the sheet and the row", (s, m))
bad = patched("xl/worksheets/sheet1.xml", lambda x: re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData/>", x, flags=re.S))
s, h, data = post(bad)
m = message(data)
t.check(s == 400 and 'sheet "customers"' in m and "header" in m, "an empty sheet gives 400 naming the sheet", (s, m))
bad = patched("xl/worksheets/sheet1.xml", lambda x: re.sub(rb'<row r="[345]".*?</row>', b"", x, flags=re.S))
s, h, data = post(bad)
t.check(s == 400 and "no records" in message(data), "a sheet with only the header gives 400", (s, message(data)))
bad = patched("xl/worksheets/sheet1.xml", lambda x: x.replace(b"<sheetData>", b"<sheetData>", 1)[:-20])
s, h, data = post(bad)
t.check(s == 400 and "XML" in message(data), "a sheet that is not well-formed XML gives 400", (s, message(data)))
bad = patched("xl/workbook.xml", lambda x: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", x, flags=re.S))
s, h, data = post(bad)
t.check(s == 400 and "no sheet" in message(data), "a workbook without sheets gives 400", (s, message(data)))

# ---- limits -----------------------------------------------------------------------------------------
extra = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x%d</t></is></c><c r="B%d" t="inlineStr"><is><t>Nobody %d</t></is></c></row>'
                 % (r, r, r, r, r) for r in range(6, 9))
big = patched("xl/worksheets/sheet1.xml", lambda x: x.replace(b"</sheetData>", extra + b"</sheetData>", 1))
s, h, data = post(big)
t.check(s == 413 and "at most 3" in message(data), "a workbook over the record cap gives 413", (s, message(data)))
# a sheet that unpacks to megabytes from a few kilobytes (the cap is 32 times the body limit)
bomb = patched("xl/worksheets/sheet1.xml", lambda x: x.replace(b"<sheetData>", b"<sheetData>" + b" " * (3 << 20), 1))
t.check(len(bomb) < 65536, "the packed sheet fits the body limit", len(bomb))
s, h, data = post(bomb)
t.check(s == 400 and "over" in message(data) and "bytes" in message(data),
        "a workbook that unpacks past the cap gives 400", (s, message(data)))
s, h, data = post(BOOK + b"\0" * 70000)
t.check(s == 413, "a workbook over the body limit gives 413", s)

# ---- the results as a workbook -----------------------------------------------------------------------
s, h, out = post(BOOK, query="?format=xlsx&min_score=0.8")
t.check(s == 200 and h.get("content-type") == XLSX, "format=xlsx answers a workbook", (s, h.get("content-type")))
names = []
try:
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        names = z.namelist()
        t.check(z.testzip() is None, "the workbook's zip is sound")
except zipfile.BadZipFile as e:
    t.check(False, "the workbook opens as a zip", str(e))
t.check(any(n.startswith("xl/worksheets/") for n in names), "the workbook has xl/worksheets", names)
rows = sheet_rows(out) if names else []
t.check(len(rows) >= 3 and rows[1][0] == "c1" and rows[1][3] == "ofac-sdn:43377",
        "the first result row is c1's hit on ofac-sdn:43377", rows[:2])
t.check(all(r[0] != "c3" for r in rows), "one row per hit: the nobody has no row")
# the same columns as `sanctum batch --format xlsx`
with tempfile.TemporaryDirectory() as tmp:
    inp, outp = os.path.join(tmp, "in.csv"), os.path.join(tmp, "out.xlsx")
    with open(inp, "w") as f:
        f.write("id,name\nc1,Kim Sang-man\n")
    subprocess.run([CLI, "--data", DATA, "batch", "--quiet", "--input", inp, "--output", outp, "--output-format", "xlsx"],
                   check=True)
    with open(outp, "rb") as f:
        cli_rows = sheet_rows(f.read())
t.check(rows and cli_rows and rows[0] == cli_rows[0], "the columns are those of sanctum batch --format xlsx",
        (rows[:1], cli_rows[:1]))
s, h, out2 = post(BOOK, headers={"Accept": XLSX})
t.check(s == 200 and h.get("content-type") == XLSX and out2[:4] == b"PK\x03\x04", "an Accept header asks for a workbook", s)
s, h, data = post("id,name\nc1,Kim Sang-man\n", ctype="text/csv", query="?format=xlsx")
t.check(s == 200 and h.get("content-type") == XLSX and sheet_rows(data)[1][3] == "ofac-sdn:43377",
        "a CSV upload can be answered as a workbook", s)
s, h, data = post(json.dumps([{"id": "j1", "name": "Kim Sang-man"}]), ctype="application/json", query="?format=xlsx")
t.check(s == 200 and h.get("content-type") == XLSX and sheet_rows(data)[1][0] == "j1",
        "a JSON upload can be answered as a workbook", s)
s, h, data = post(BOOK, query="?format=json")
t.check(s == 200 and h.get("content-type", "").startswith("application/json"), "format=json answers JSON", s)
s, h, data = post(BOOK, query="?format=pdf")
t.check(s == 400 and "format" in message(data), "an unknown format gives 400 naming the parameter", (s, message(data)))
s, h, data = post(bad, query="?format=xlsx")
t.check(s == 400 and h.get("content-type", "").startswith("application/json"),
        "a broken upload asked as a workbook still gives a JSON error", s)

# ---- the server is fine afterwards and leaves no temporary files ----------------------------------------------
tmpdir = os.environ.get("TMPDIR", "/tmp")
left = [f for f in os.listdir(tmpdir) if f.startswith("sanctum-batch-")]
s, h, data = srv.request("GET", "/healthz")
t.check(s == 200, "the server still answers", s)
s, h, data = srv.request("GET", "/metrics")
m = re.search(rb"^sanctum_screenings_total (\d+)", data, re.M)
t.check(s == 200 and m and int(m.group(1)) >= 3, "workbook records count as screenings", data[-300:])
srv.kill()
t.check(srv.proc.returncode == 0, "the server stops cleanly", srv.proc.returncode)
t.check("ERROR: AddressSanitizer" not in srv.stderr() and "runtime error" not in srv.stderr(),
        "no sanitizer reports", srv.stderr()[-500:])
t.check(not [f for f in os.listdir(tmpdir) if f.startswith("sanctum-batch-") and f not in left] and not left,
        "no workbook is left in TMPDIR", left)
t.finish()
