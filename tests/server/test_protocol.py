"""The wire format: frames round-trip with fds, and bad frames (garbage, oversized, truncated) are refused."""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_tui.server import protocol


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    a.settimeout(5)
    b.settimeout(5)
    yield a, b
    a.close()
    b.close()


def test_a_message_and_its_fds_arrive_close_on_exec(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    r, w = os.pipe()
    try:
        protocol.send(a, {"kind": "attach", "env": {"A": "é"}}, [r, w, w])
        message, fds = protocol.receive(b, want_fds=True)
        assert message == {"kind": "attach", "env": {"A": "é"}}
        assert len(fds) == 3
        assert all(not os.get_inheritable(fd) for fd in fds)
        os.write(fds[1], b"through the passed fd")
        assert os.read(r, 100) == b"through the passed fd"
        protocol.close_all(fds)
    finally:
        os.close(r)
        os.close(w)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_any_json_object_round_trips(message: dict[str, object]) -> None:
    a, b = socket.socketpair()
    with a, b:
        protocol.send(a, message)
        assert protocol.receive(b)[0] == message


def _raw(pair: tuple[socket.socket, socket.socket], data: bytes) -> socket.socket:
    a, b = pair
    a.sendall(data)
    a.shutdown(socket.SHUT_WR)
    return b


@pytest.mark.parametrize(
    "data, problem",
    [
        (struct.pack(">I", protocol.MAX_FRAME + 1), "over the"),
        (struct.pack(">I", 0xFFFFFFFF) + b"x" * 10, "over the"),
        (struct.pack(">I", 10) + b"{}", "closed mid-message"),
        (struct.pack(">I", 4) + b"\xff\xfe\xfd\xfc", "not UTF-8 JSON"),
        (struct.pack(">I", 2) + b"[]", "not a JSON object"),
        (b"\x00\x00", "closed mid-message"),
        (b"", "closed before a message"),
    ],
)
def test_a_bad_frame_is_refused(pair: tuple[socket.socket, socket.socket], data: bytes, problem: str) -> None:
    with pytest.raises(protocol.ProtocolError, match=problem):
        protocol.receive(_raw(pair, data), want_fds=True)


def test_fds_sent_with_a_bad_frame_are_closed(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    r, w = os.pipe()
    a.sendmsg([b"\x00\x00\x00\x05{"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("ii", r, w))])
    a.shutdown(socket.SHUT_WR)
    before = set(os.listdir("/proc/self/fd"))
    with pytest.raises(protocol.ProtocolError):
        protocol.receive(b, want_fds=True)
    assert set(os.listdir("/proc/self/fd")) <= before
    os.close(r)
    os.close(w)


def test_the_exit_code_round_trips_and_its_absence_is_none(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    protocol.send_exit_code(a, 130)
    assert protocol.receive_exit_code(b) == 130
    a.close()
    assert protocol.receive_exit_code(b) is None


def test_an_oversized_message_is_not_sent(pair: tuple[socket.socket, socket.socket]) -> None:
    with pytest.raises(protocol.ProtocolError, match="over the"):
        protocol.send(pair[0], {"env": "x" * protocol.MAX_FRAME})
