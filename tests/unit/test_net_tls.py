"""TLS through the safe client: certificates are verified against the real host name."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.errors import PermanentFetchError
from workers.net import AddressPolicy, HttpOptions, request

LOCAL = HttpOptions(policy=AddressPolicy(allow_loopback=True), total_timeout=5.0)


@pytest.fixture
def tls_port(tmp_path: Path) -> Iterator[int]:
    """A loopback TLS server with a fresh self-signed certificate for 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    listener = socket.create_server(("127.0.0.1", 0))
    handshakes: list[str] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            try:
                with context.wrap_socket(conn, server_side=True):
                    handshakes.append("ok")
            except (ssl.SSLError, OSError) as exc:
                handshakes.append(type(exc).__name__)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join(timeout=5)
    assert handshakes, "the client never reached the TLS server"


def test_self_signed_certificate_is_rejected(tls_port: int) -> None:
    with pytest.raises(PermanentFetchError, match="certificate"):
        request("GET", f"https://127.0.0.1:{tls_port}/", options=LOCAL)
