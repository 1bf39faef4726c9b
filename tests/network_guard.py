"""Keep the test suite on this machine: every connection and name lookup must stay on loopback.

Installed for the whole session by tests/conftest.py. A connection to any other address raises
``ConnectionRefusedError`` and a lookup of any other name raises ``socket.gaierror`` — what the code
under test would see on a machine with no network — so a test that would have sent traffic elsewhere
fails or degrades instead of reaching out. Subprocesses (Chromium, `haidang up`) are not affected; they
are only ever pointed at 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_local_host(host: object) -> bool:
    if host is None or host == "":
        return True  # getaddrinfo(None, port): the wildcard address of a server that binds
    text = host.decode() if isinstance(host, bytes) else str(host)
    text = text.strip("[]").lower().rstrip(".")
    if text in _LOCAL_NAMES or text.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _address_host(address: Any) -> object:
    if isinstance(address, tuple) and address:
        return address[0]
    return "localhost"  # AF_UNIX paths (PostgreSQL's socket) stay on this machine


def install() -> Callable[[], None]:
    """Patch the socket module; return the function that undoes it."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if not is_local_host(_address_host(address)):
            raise ConnectionRefusedError(f"tests may not connect outside loopback: {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not is_local_host(_address_host(address)):
            raise ConnectionRefusedError(f"tests may not connect outside loopback: {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local_host(host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests resolve only loopback names, not {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo

    def uninstall() -> None:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo

    return uninstall
