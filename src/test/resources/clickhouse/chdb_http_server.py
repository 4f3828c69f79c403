#!/usr/bin/env python3
"""ClickHouse's HTTP interface (port 8123 protocol) in front of chdb, the ClickHouse engine run in-process.

It speaks what clients such as clickhouse-jdbc and curl use: the query in the POST body and/or the `query`
parameter, `database`, `default_format` (or the X-ClickHouse-Format header), `query_id`, `param_*` query
parameters, every other parameter as a setting, basic auth (or X-ClickHouse-User/Key, or user/password
parameters) checked against one user, results streamed with chunked encoding as chdb produces them, and the
X-ClickHouse-* response headers (format, timezone, query id, summary, exception code). Each request starts from
the server's defaults, as over real ClickHouse HTTP without a session.

    chdb_http_server.py --port PORT --data DIR --user USER --password PASSWORD
"""
import argparse
import base64
import json
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from chdb.state import sqlitelike

# Parameters the HTTP handler itself reads; every other one is a setting.
HTTP_PARAMETERS = {"query", "database", "default_format", "query_id", "user", "password", "quota_key", "session_id",
                   "session_timeout", "session_check", "compress", "decompress", "enable_http_compression",
                   "buffer_size", "wait_end_of_query", "stacktrace", "role", "client_protocol_version",
                   "http_response_buffer_size"}

# ClickHouse's mapping of some exception codes to HTTP statuses; the rest are 500.
HTTP_STATUS = {62: 400, 27: 400, 36: 400, 43: 400, 47: 400, 53: 400, 115: 400, 456: 400, 457: 400,
               60: 404, 81: 404, 46: 404, 164: 403, 497: 403, 516: 401, 194: 401}

CODE = re.compile(r"Code: (\d+)\.")
TRAILING_FORMAT = re.compile(r"\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$", re.IGNORECASE)
STATE_CHANGING = re.compile(r"^\s*(SET|USE)\b", re.IGNORECASE)

# Row formats chdb repeats a header in for every streamed chunk: how many header rows, binary or text.
BINARY_HEADER_ROWS = {"rowbinarywithnames": 1, "rowbinarywithnamesandtypes": 2}
TEXT_HEADER_ROWS = {}
for name, rows in (("withnames", 1), ("withnamesandtypes", 2)):
    for base in ("csv", "tsv", "tabseparated", "tsvraw", "tabseparatedraw", "jsoncompacteachrow",
                 "jsoncompactstringseachrow", "customseparated"):
        TEXT_HEADER_ROWS[base + name] = rows
# Row formats whose chunks simply concatenate.
CONCATENATING = {"csv", "tsv", "tabseparated", "tsvraw", "tabseparatedraw", "jsoneachrow", "jsonlines", "ndjson",
                 "jsonstringseachrow", "jsoncompacteachrow", "jsoncompactstringseachrow", "rowbinary", "native",
                 "values", "jsonobjecteachrow", "linesasstring", "rawblob"}
CONTENT_TYPES = {"json": "application/json", "jsoncompact": "application/json", "jsoneachrow": "application/x-ndjson",
                 "csv": "text/csv", "csvwithnames": "text/csv", "csvwithnamesandtypes": "text/csv"}


class QueryError(Exception):
    def __init__(self, message):
        super().__init__(message)
        match = CODE.search(message)
        self.code = int(match.group(1)) if match else 1000


class Engine:
    """One chdb connection on a data directory, reopened whenever a request leaves settings behind."""

    def __init__(self, data):
        self.data = data
        self.lock = threading.Lock()
        self.connection = None
        self.state = None
        self.timezone = "UTC"
        self.version = ""

    def prepare(self, database, settings):
        """Makes the session match (database, settings), starting from defaults; holds the lock."""
        wanted = (database, tuple(settings))
        if self.connection is not None and self.state == wanted:
            return
        if self.connection is not None:
            self.connection.close()
        self.connection = sqlitelike.connect(self.data)
        self.state = None
        try:
            if database and database != "default":
                self.run(f"USE `{database}`")
            # readonly last: once set, the session may change nothing else.
            for key, value in sorted(settings, key=lambda kv: kv[0] == "readonly"):
                self.run(f"SET {key} = {quote(value)}")
            self.timezone, self.version = self.run("SELECT timezone(), version()", "TSV").strip().split("\t")
        except QueryError:
            self.connection.close()
            self.connection = None
            raise
        self.state = wanted

    def run(self, sql, fmt="TSV", params=None):
        try:
            return self.connection._conn.query(sql, fmt, params=params or {}).bytes().decode()
        except RuntimeError as e:
            raise QueryError(str(e)) from None

    def forget(self):
        """The request changed the session (SET, USE): the next one starts afresh."""
        self.state = None


def quote(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def read_varint(data, at):
    shift = value = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def header_length(fmt, chunk):
    """Length of the header chdb starts every chunk of a *WithNames* format with."""
    if fmt in BINARY_HEADER_ROWS:
        columns, at = read_varint(chunk, 0)
        for _ in range(columns * BINARY_HEADER_ROWS[fmt]):
            size, at = read_varint(chunk, at)
            at += size
        return at
    rows, at, quoted = TEXT_HEADER_ROWS[fmt], 0, False
    csv = fmt.startswith("csv")
    while rows and at < len(chunk):
        c = chunk[at]
        if csv and c == 0x22:
            quoted = not quoted
        elif c == 0x0A and not quoted:
            rows -= 1
        at += 1
    return at


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chdb-http"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.command, urlsplit(self.path).path))

    def do_GET(self):
        self.handle_request(b"")

    def do_POST(self):
        self.handle_request(self.read_body())

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def handle_request(self, body):
        url = urlsplit(self.path)
        params = parse_qsl(url.query, keep_blank_values=True)
        named = dict(params)
        if url.path in ("/ping", "/") and "query" not in named and not body:
            return self.send_text(200, "Ok.\n")
        if url.path != "/":
            return self.send_text(404, "There is no handle %s\n" % url.path)
        query_id = named.get("query_id") or self.headers.get("X-ClickHouse-Query-Id") or str(uuid.uuid4())
        try:
            self.authenticate(named)
            for flag in ("compress", "decompress"):
                if named.get(flag) == "1":
                    raise QueryError("Code: 1. DB::Exception: this test server does not implement %s=1. (UNSUPPORTED_METHOD)" % flag)
            if named.get("session_id"):
                raise QueryError("Code: 1. DB::Exception: this test server does not implement sessions. (UNSUPPORTED_METHOD)")
            query = named.get("query", "")
            text = body.decode("utf-8")
            query = query + "\n" + text if query and text else query or text
            if not query.strip():
                raise QueryError("Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)")
            database = named.get("database") or self.headers.get("X-ClickHouse-Database") or "default"
            settings = [(k, v) for k, v in params if k not in HTTP_PARAMETERS and not k.startswith("param_")]
            query_params = {k[len("param_"):]: v for k, v in params if k.startswith("param_")}
            default_format = named.get("default_format") or self.headers.get("X-ClickHouse-Format") or "TabSeparated"
        except QueryError as e:
            return self.send_error_response(e, query_id)
        except UnicodeDecodeError:
            return self.send_error_response(QueryError("Code: 62. DB::Exception: query is not UTF-8. (SYNTAX_ERROR)"), query_id)
        with engine.lock:
            try:
                engine.prepare(database, settings)
            except QueryError as e:
                return self.send_error_response(e, query_id)
            self.execute(query, query_params, default_format, query_id)
            if STATE_CHANGING.match(query):
                engine.forget()

    def authenticate(self, named):
        user, password = named.get("user"), named.get("password")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        if self.headers.get("X-ClickHouse-User") is not None:
            user, password = self.headers.get("X-ClickHouse-User"), self.headers.get("X-ClickHouse-Key", "")
        user = user or "default"
        if user != options.user or (password or "") != options.password:
            raise QueryError("Code: 516. DB::Exception: %s: Authentication failed: password is incorrect, or there is "
                             "no user with such name. (AUTHENTICATION_FAILED)" % user)

    def execute(self, query, query_params, default_format, query_id):
        low = engine.connection._conn
        fmt_match = TRAILING_FORMAT.search(query)
        fmt = fmt_match.group(1) if fmt_match else default_format
        key = fmt.lower()
        streamable = key in CONCATENATING or key in BINARY_HEADER_ROWS or key in TEXT_HEADER_ROWS
        try:
            kind = low.classify_query(query)["query_class"].name
        except Exception:
            kind = "UNKNOWN"
        stream = None
        if kind == "READ_ONLY" and streamable:
            try:
                stream = low.send_query(query, default_format, params=query_params)
            except RuntimeError as e:
                if "Streaming query is not supported" not in str(e):
                    return self.send_error_response(QueryError(str(e)), query_id)
        if stream is None:
            try:
                result = low.query(query, default_format, params=query_params)
            except RuntimeError as e:
                return self.send_error_response(QueryError(str(e)), query_id)
            data = result.bytes()
            summary = self.summary(result.storage_rows_read(), result.storage_bytes_read(), result.rows_written(),
                                   result.bytes_written(), result.rows_read(), len(data), result.elapsed())
            self.send_result_headers(fmt, query_id, summary, len(data))
            self.wfile.write(data)
            return
        self.send_stream(low, stream, fmt, key, query_id)

    def send_stream(self, low, stream, fmt, key, query_id):
        finished = False
        try:
            try:
                first = low.streaming_fetch_result(stream)
            except RuntimeError as e:
                finished = True
                return self.send_error_response(QueryError(str(e)), query_id)
            data = first.bytes() if first is not None else b""
            summary = self.summary(first.storage_rows_read(), first.storage_bytes_read(), 0, 0, first.rows_read(),
                                   len(data), first.elapsed()) if first is not None else self.summary(0, 0, 0, 0, 0, 0, 0)
            self.send_result_headers(fmt, query_id, summary, None)
            strip = header_length(key, data) if data and (key in BINARY_HEADER_ROWS or key in TEXT_HEADER_ROWS) else 0
            try:
                if data:
                    self.write_chunk(data)
                    while True:
                        chunk = low.streaming_fetch_result(stream)
                        if chunk is None or not chunk.size():
                            break
                        if chunk.size() > strip:
                            self.write_chunk(chunk.bytes()[strip:])
                finished = True
                self.wfile.write(b"0\r\n\r\n")
            except RuntimeError as e:
                # As ClickHouse does once the headers are out: the exception text in the body, then the connection drops.
                finished = True
                self.write_chunk(("\n" + self.error_text(QueryError(str(e)))).encode())
                self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
        finally:
            if not finished:
                # chdb runs one streaming query at a time: one left open would answer the next request.
                low.streaming_cancel_query(stream)

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")

    @staticmethod
    def summary(read_rows, read_bytes, written_rows, written_bytes, result_rows, result_bytes, elapsed):
        values = {"read_rows": read_rows, "read_bytes": read_bytes, "written_rows": written_rows,
                  "written_bytes": written_bytes, "total_rows_to_read": 0, "result_rows": result_rows,
                  "result_bytes": result_bytes, "elapsed_ns": int(elapsed * 1e9)}
        return json.dumps({k: str(v) for k, v in values.items()}, separators=(",", ":"))

    def send_result_headers(self, fmt, query_id, summary, length):
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPES.get(fmt.lower(), "text/plain; charset=UTF-8"))
        self.send_header("X-ClickHouse-Format", fmt)
        self.send_header("X-ClickHouse-Timezone", engine.timezone)
        self.send_header("X-ClickHouse-Query-Id", query_id)
        self.send_header("X-ClickHouse-Server-Display-Name", "chdb")
        self.send_header("X-ClickHouse-Summary", summary)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    @staticmethod
    def error_text(error):
        return "%s (version %s)\n" % (str(error).strip(), engine.version or "chdb")

    def send_error_response(self, error, query_id):
        text = self.error_text(error).encode()
        self.send_response(HTTP_STATUS.get(error.code, 500))
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("X-ClickHouse-Exception-Code", str(error.code))
        self.send_header("X-ClickHouse-Query-Id", query_id)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def send_text(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--user", default="default")
    parser.add_argument("--password", default="")
    options = parser.parse_args()
    engine = Engine(options.data)
    with engine.lock:
        engine.prepare("default", [])
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    server.serve_forever()
