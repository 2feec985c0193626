"""Serving an HTTP app over real HTTP on loopback (stdlib threaded server, chunked streams).

An app is anything with ``handle(EmulatorRequest) -> EmulatorResponse``: the
emulator (:class:`EmulatorServer`) and the replay server
(:mod:`harness.serve`) share this machinery.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Protocol, TypeVar

from harness.emulator.app import Emulator
from harness.emulator.exchange import AbortStream, BodyPiece, EmulatorRequest, EmulatorResponse

_WILDCARD_HOSTS = ("", "0.0.0.0")


class HttpApp(Protocol):
    def handle(self, request: EmulatorRequest) -> EmulatorResponse: ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding
    server: _AppHTTPServer

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

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = EmulatorRequest.from_target(self.command, self.path, dict(self.headers.items()), body)
        response = self.server.app.handle(request)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.streaming:
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self._write_chunked(response.pieces())
        else:
            payload = response.read()
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


class _AppHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default listen backlog of 5 refuses bursts of concurrent clients
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: HttpApp) -> None:
        super().__init__(address, _Handler)
        self.app = app
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
        self, app: HttpApp, *, host: str = "127.0.0.1", port: int = 0, name: str = "app-server"
    ) -> None:
        self._host = host
        self._name = name
        self._server = _AppHTTPServer((host, port), app)
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


class EmulatorServer(AppServer):
    """The emulator over HTTP: ``with EmulatorServer(Emulator()) as server: server.base_url``."""

    def __init__(self, emulator: Emulator | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator if emulator is not None else Emulator()
        super().__init__(self.emulator, host=host, port=port, name="emulator-server")
