"""A real HTTP server on 127.0.0.1 that answers from a script, for recording tests.

Each route answers with a status, headers and a body given as pieces with a
delay before each; streamed bodies use chunked transfer encoding and are
flushed piece by piece, so a client sees them as they are "produced".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.handshake import Handshake


@dataclass
class Scripted:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    pieces: list[tuple[float, bytes]] = field(default_factory=list)
    chunked: bool = True
    drop_after: int | None = None  # close the connection after this many pieces, mid-body
    hold: tuple[int, Handshake] | None = None  # (piece, handshake): wait for the client before it


Route = Callable[[str, str, bytes], Scripted]


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early are part of what these tests do


class ScriptedServer:
    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: list[SeenRequest] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(SeenRequest(self.command, self.path, dict(self.headers), body))
                answer = server.route(self.command, self.path, body)
                self.send_response(answer.status)
                for name, value in answer.headers:
                    self.send_header(name, value)
                if answer.chunked:
                    self.send_header("transfer-encoding", "chunked")
                else:
                    self.send_header("content-length", str(sum(len(p) for _, p in answer.pieces)))
                self.end_headers()
                for number, (delay, piece) in enumerate(answer.pieces):
                    if answer.drop_after is not None and number >= answer.drop_after:
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if answer.hold is not None and answer.hold[0] == number:
                        answer.hold[1].wait_for_client()
                    if delay:
                        time.sleep(delay)
                    if answer.chunked:
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    else:
                        self.wfile.write(piece)
                    self.wfile.flush()
                if answer.chunked:
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()

            do_GET = do_POST = do_DELETE = _handle

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def sse_pieces(body: bytes, per_event_delay: float = 0.0) -> list[tuple[float, bytes]]:
    from harness.sse import split_frames

    return [(per_event_delay if number else 0.0, frame) for number, frame in enumerate(split_frames(body))]


def json_answer(document: bytes, status: int = 200) -> Scripted:
    return Scripted(status, [("content-type", "application/json")], [(0.0, document)], chunked=False)


def sse_answer(
    body: bytes,
    per_event_delay: float = 0.0,
    drop_after: int | None = None,
    hold: tuple[int, Handshake] | None = None,
) -> Scripted:
    return Scripted(
        200,
        [("content-type", "text/event-stream; charset=utf-8")],
        sse_pieces(body, per_event_delay),
        drop_after=drop_after,
        hold=hold,
    )


def iter_routes(*answers: Scripted) -> Route:
    """Answer requests in order with the given answers (the last repeats)."""
    queue: Iterator[Scripted] = iter(answers)
    last: list[Scripted] = []

    def route(method: str, path: str, body: bytes) -> Scripted:
        answer = next(queue, None)
        if answer is None:
            return last[0]
        last[:] = [answer]
        return answer

    return route
