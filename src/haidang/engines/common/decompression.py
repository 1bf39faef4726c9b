"""Bounded, incremental decoding of ``Content-Encoding`` (gzip, deflate, br).

Every decompressor call is told how much output it may produce (``max_length`` for zlib,
``output_buffer_limit`` for brotli), so a 10 MB body that would inflate to 10 GB costs at most the
output budget in memory and stops as soon as the budget is exceeded.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli  # type: ignore[import-untyped]

SUPPORTED = ("gzip", "x-gzip", "deflate", "br")
MAX_STACKED_ENCODINGS = 2


class DecompressionBombError(Exception):
    """The decoded body would exceed its budget."""


class ContentEncodingError(Exception):
    """The body is not valid for its declared encoding, or the encoding is unsupported."""


class _Stage(Protocol):
    def feed(self, data: bytes, budget: int) -> bytes: ...


class _ZlibStage:
    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._inflater: zlib._Decompress | None = None

    def _start(self, data: bytes) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but many servers send a raw deflate stream.
        wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, budget: int) -> bytes:
        if not data:
            return b""
        if self._inflater is None:
            self._inflater = self._start(data)
        if self._inflater.eof:
            return b""  # trailing garbage after the stream is ignored, as browsers do
        try:
            # budget + 1: producing one byte more than allowed is how the bomb is detected.
            return self._inflater.decompress(data, budget + 1)
        except zlib.error as exc:
            raise ContentEncodingError(f"invalid compressed data: {exc}") from None


class _BrotliStage:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes, budget: int) -> bytes:
        if not data:
            return b""
        try:
            out: bytes = self._decompressor.process(data, output_buffer_limit=budget + 1)
        except brotli.error as exc:
            raise ContentEncodingError(f"invalid brotli data: {exc}") from None
        return out


def parse_content_encoding(header: str | None) -> list[str]:
    """The encodings applied to a body, in the order they were applied; ``identity`` is dropped."""
    if not header:
        return []
    names = [part.strip().lower() for part in header.split(",")]
    return [name for name in names if name and name != "identity"]


class BodyDecoder:
    """Decode a body chunk by chunk through its content encodings, never beyond ``max_output`` bytes.

    ``feed`` returns the decoded bytes of that chunk and raises :class:`DecompressionBombError` once the
    total would exceed the budget; the bytes decoded until then stay available in ``partial``.
    """

    def __init__(self, encodings: list[str], max_output: int) -> None:
        unsupported = [name for name in encodings if name not in SUPPORTED]
        if unsupported:
            raise ContentEncodingError(f"unsupported content-encoding: {unsupported[0][:40]}")
        if len(encodings) > MAX_STACKED_ENCODINGS:
            raise ContentEncodingError("too many stacked content-encodings")
        # Decoding undoes the encodings in reverse order of application.
        self._stages: list[_Stage] = [
            _BrotliStage() if name == "br" else _ZlibStage(name) for name in reversed(encodings)
        ]
        self._max_output = max_output
        self.produced = 0
        self.partial = b""

    @property
    def identity(self) -> bool:
        """True when the body carries no content encoding."""
        return not self._stages

    def feed(self, chunk: bytes) -> bytes:
        """Decode ``chunk``; raise DecompressionBombError when the output budget is exceeded."""
        if not self._stages:
            return chunk  # the wire-size cap applies instead
        budget = self._max_output - self.produced
        data = chunk
        for stage in self._stages:
            data = stage.feed(data, budget)
            if len(data) > budget:
                self.partial = data[:budget]
                self.produced += budget
                raise DecompressionBombError(f"decoded body exceeds {self._max_output} bytes")
        self.produced += len(data)
        return data
