"""Serving an HTTP app over real HTTP on loopback (stdlib threaded server, chunked streams).

An app is anything with ``handle(HttpRequest) -> HttpResponse``: the emulator
(:class:`harness.emulator.EmulatorServer`) and the replay server (:mod:`harness.serve`)
share this machinery. Hostile clients get HTTP answers, not tracebacks: a malformed or
negative ``Content-Length`` is a 400, a body over ``max_body`` a 413, a body without a
length a 411, and a connection idle for ``idle_timeout`` seconds is closed.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Protocol, TypeVar

from harness.http.exchange import AbortStream, BodyPiece, HttpRequest, HttpResponse

_WILDCARD_HOSTS = ("", "0.0.0.0")
DEFAULT_MAX_BODY = 64 * 1024 * 1024
DEFAULT_IDLE_TIMEOUT = 30.0
_UNSAFE_IN_HEADERS = ("\r", "\n", "\0")


class HttpApp(Protocol):
    def handle(self, request: HttpRequest) -> HttpResponse: ...


def unsafe_header(name: str, value: str) -> bool:
    """True when sending the header as it is would split it into more headers (CR, LF, NUL)."""
    return any(char in name or char in value for char in _UNSAFE_IN_HEADERS)


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding
    server: _AppHTTPServer

    def setup(self) -> None:
        self.request.settimeout(self.server.idle_timeout)  # an idle connection is closed, not held
        super().setup()

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _read_body(self) -> bytes:
        declared = self.headers.get_all("Content-Length") or []
        if not declared:
            if self.headers.get("Transfer-Encoding"):
                raise _BadRequest(411, "a request body needs a Content-Length")
            return b""
        if len(set(declared)) > 1 or not declared[0].strip().isdigit() or not declared[0].isascii():
            raise _BadRequest(400, f"malformed Content-Length {declared[0]!r}")
        length = int(declared[0])
        if length > self.server.max_body:
            raise _BadRequest(
                413, f"request body of {length} bytes is over the limit of {self.server.max_body}"
            )
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise _BadRequest(400, f"request body ended after {len(body)} of {length} bytes")
        return body

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _BadRequest as error:
            self.close_connection = True
            self._send_whole(error.status, [("Content-Type", "application/json")], _error_body(str(error)))
            return
        request = HttpRequest.from_target(self.command, self.path, dict(self.headers.items()), body)
        response = self.server.app.handle(request)
        unsafe = [name for name, value in response.headers if unsafe_header(name, value)]
        if unsafe:
            message = f"refusing to send header(s) {', '.join(map(repr, unsafe))} holding CR, LF or NUL"
            self._send_whole(500, [("Content-Type", "application/json")], _error_body(message))
            return
        if not response.streaming:
            self._send_whole(response.status, response.headers, response.read())
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self._write_chunked(response.pieces())

    def _send_whole(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _write_chunked(self, pieces: Iterator[BodyPiece]) -> None:
        try:
            for delay, chunk in pieces:
                if delay > 0:
                    time.sleep(delay)
                if self.server.closing.is_set():
                    break
                if chunk:  # an empty chunk would end the body
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except AbortStream:
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()


def _error_body(message: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()


class _AppHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default listen backlog of 5 refuses bursts of concurrent clients
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: HttpApp, max_body: int, idle_timeout: float) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.max_body = max_body
        self.idle_timeout = idle_timeout
        self.closing = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client dropping its keep-alive connection is routine, not worth a traceback on stderr.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


ServerT = TypeVar("ServerT", bound="AppServer")


class AppServer:
    """``with AppServer(app) as server: server.base_url`` -> ``http://127.0.0.1:PORT/v1``.

    Port 0 picks a free port. Stopping shuts the listener down and cuts streams
    still being written, so a test never leaves a server behind. Binding
    failures raise :class:`OSError` from the constructor.
    """

    def __init__(
        self,
        app: HttpApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        name: str = "app-server",
        max_body: int = DEFAULT_MAX_BODY,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        self._host = host
        self._name = name
        self._server = _AppHTTPServer((host, port), app, max_body, idle_timeout)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self._host in _WILDCARD_HOSTS else self._host
        return f"http://{host}:{self.port}/v1"

    def start(self: ServerT) -> ServerT:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"{self._name}-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._server.closing.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self: ServerT) -> ServerT:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
