"""The suite's own guard: nothing leaves loopback."""

from __future__ import annotations

import socket

import pytest

from tests.network_guard import is_local_host


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.3", "::1", "[::1]", "localhost", "0.0.0.0", "", None])  # noqa: S104
def test_it_allows_loopback(host: object) -> None:
    assert is_local_host(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "169.254.169.254", "8.8.8.8", "example.gov.vn", "stp.example.gov.vn"])
def test_it_refuses_everything_else(host: str) -> None:
    assert not is_local_host(host)


def test_it_is_installed_for_the_whole_suite() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.gov.vn", 80)
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("192.0.2.1", 80))
    assert socket.getaddrinfo("127.0.0.1", 80)
