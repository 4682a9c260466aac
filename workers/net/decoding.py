"""Content-Encoding removal that never produces more than a fixed number of bytes."""

from __future__ import annotations

import zlib

from workers.errors import PermanentFetchError, TooLargeError


class BoundedDecoder:
    """Feed raw body chunks in, get decoded bytes out; raise ``TooLargeError`` past ``limit``.

    Decompression is asked for at most the bytes still allowed (plus one, to detect the
    overflow), so a gzip bomb costs one cap of memory, not its expanded size.
    """

    def __init__(self, content_encoding: str, limit: int, url: str) -> None:
        self._coding = _single_coding(content_encoding, url)
        self._limit = limit
        self._url = url
        self._parts: list[bytes] = []
        self._size = 0
        self._raw_size = 0
        self._inflater = self._new_inflater()

    def _new_inflater(self) -> zlib._Decompress | None:
        if self._coding == "gzip":
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        if self._coding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib-wrapped, as RFC 9110 says
        return None

    def feed(self, chunk: bytes) -> None:
        """Decode one raw chunk, keeping the output."""
        self._raw_size += len(chunk)
        if self._raw_size > self._limit:
            self._too_large()
        if self._inflater is None:
            self._keep(chunk)
            return
        try:
            self._inflate(chunk)
        except zlib.error as exc:
            raise PermanentFetchError(
                f"corrupt {self._coding} body from {self._url}: {exc}"
            ) from None

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        while data:
            out = self._inflater.decompress(data, self._limit - self._size + 1)
            self._keep(out)
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:
                # Concatenated gzip members are legal; anything after the last one is ignored.
                data = self._inflater.unused_data
                if not data.strip(b"\0"):
                    return
                self._inflater = self._new_inflater()
                assert self._inflater is not None

    def _keep(self, out: bytes) -> None:
        self._size += len(out)
        if self._size > self._limit:
            self._too_large()
        if out:
            self._parts.append(out)

    def _too_large(self) -> None:
        raise TooLargeError(f"body of {self._url} exceeds {self._limit} bytes")

    def result(self) -> bytes:
        """Everything decoded so far."""
        return b"".join(self._parts)


def _single_coding(header: str, url: str) -> str:
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return "identity"
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return "gzip" if codings[0] == "x-gzip" else codings[0]
    raise PermanentFetchError(f"unsupported Content-Encoding {header!r} from {url}")
