"""A Socket Mode endpoint for the fake: the WebSocket handshake, Slack's hello, pong for ping.

Enough for a Socket Mode app to connect, stay connected and be stopped, which is what the
command-line tests need; it delivers no events.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import threading
from socketserver import BaseRequestHandler, ThreadingTCPServer
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's fixed key suffix
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


def _frame(opcode: int, payload: bytes) -> bytes:
    # Server frames are never masked; control frames and hello fit the short forms.
    if len(payload) < 126:
        return bytes([0x80 | opcode, len(payload)]) + payload
    return bytes([0x80 | opcode, 126]) + struct.pack("!H", len(payload)) + payload


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exactly(sock, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exactly(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exactly(sock, 8))
    mask = _read_exactly(sock, 4) if second & 0x80 else b"\0\0\0\0"
    payload = _read_exactly(sock, length)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class _Handler(BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = sock.recv(1024)
            if not chunk:
                return
            request += chunk
        headers = dict(
            line.split(":", 1) for line in request.decode().split("\r\n")[1:] if ":" in line
        )
        key = {k.strip().lower(): v.strip() for k, v in headers.items()}["sec-websocket-key"]
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        sock.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        hello = {"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}
        sock.sendall(_frame(_TEXT, json.dumps(hello).encode()))
        self.server.connected.set()
        try:
            while True:
                opcode, payload = _read_frame(sock)
                if opcode == _PING:
                    sock.sendall(_frame(_PONG, payload))
                elif opcode == _CLOSE:
                    sock.sendall(_frame(_CLOSE, payload[:2]))
                    return
        except (ConnectionError, OSError):
            return


class _Server(ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    connected: threading.Event


class SocketModeEndpoint:
    """``ws://127.0.0.1:PORT/link`` for ``apps.connections.open`` to hand out."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.connected = threading.Event()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.server_address[1]}/link/?ticket=fake"

    @property
    def connected(self) -> threading.Event:
        """Set once a client has completed the handshake."""
        return self._server.connected

    def start(self) -> SocketModeEndpoint:
        self._thread.start()
        return self

    def stop(self, *_: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
