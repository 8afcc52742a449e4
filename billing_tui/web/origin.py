"""Which Host and Origin headers a request may carry: loopback names by default, the public URL's when given."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased, as a browser writes it in the Origin header."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def allowed_hosts(bind_host: str, port: int, public_url: str | None) -> frozenset[str] | None:
    """The Host headers served (None: any, for a server bound to a public address without a public URL).

    Checking Host stops DNS rebinding: a hostile name that resolves to 127.0.0.1 still carries its own Host.
    """
    if public_url:
        return frozenset({urlsplit(public_url).netloc.lower()})
    if bind_host in LOOPBACK_HOSTS:
        names = ("127.0.0.1", "localhost", "[::1]")
        return frozenset({f"{name}:{port}" for name in names} | ({*names} if port == 80 else set()))
    return None


def origin_allowed(origin: str | None, host: str, public_url: str | None) -> bool:
    """A websocket may start only from this server's own page: Origin is the public URL's, or the Host's."""
    if not origin:
        return False
    origin = origin.lower()
    if public_url:
        return origin == origin_of(public_url)
    return origin in (f"http://{host.lower()}", f"https://{host.lower()}")
