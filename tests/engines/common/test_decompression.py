"""Bounded decompression: correct output, and bombs stopped at the budget with bounded memory."""

from __future__ import annotations

import functools
import tracemalloc
import zlib

import brotli  # type: ignore[import-untyped]
import pytest

from haidang.engines.common.decompression import (
    BodyDecoder,
    ContentEncodingError,
    DecompressionBombError,
    parse_content_encoding,
)

BOMB_SIZE = 16 * 1024 * 1024
LIMIT = 512 * 1024
PAGE = "Sở Thông tin và Truyền thông ".encode() * 2000


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(data, quality=5))
    wbits = {"gzip": 31, "deflate": 15, "raw-deflate": -15}[encoding]
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


@functools.cache
def bomb(encoding: str) -> bytes:
    """16 MiB of zeros, compressed; built in 1 MiB steps so the test itself stays small."""
    zero = bytes(1024 * 1024)
    if encoding == "br":
        brotli_compressor = brotli.Compressor(quality=5)
        return b"".join(brotli_compressor.process(zero) for _ in range(16)) + bytes(brotli_compressor.finish())
    wbits = {"gzip": 31, "deflate": 15, "raw-deflate": -15}[encoding]
    compressor = zlib.compressobj(1, zlib.DEFLATED, wbits)
    return b"".join(compressor.compress(zero) for _ in range(16)) + compressor.flush()


def feed_all(decoder: BodyDecoder, data: bytes, chunk: int = 16384) -> bytes:
    return b"".join(decoder.feed(data[i : i + chunk]) for i in range(0, len(data), chunk))


@pytest.mark.parametrize(("header", "encoding"), [("gzip", "gzip"), ("x-gzip", "gzip"), ("deflate", "deflate"),
                                                  ("deflate", "raw-deflate"), ("br", "br")])  # fmt: skip
def test_it_decodes_each_supported_encoding(header: str, encoding: str) -> None:
    decoder = BodyDecoder([header], max_output=len(PAGE))
    assert feed_all(decoder, compress(PAGE, encoding)) == PAGE


def test_it_decodes_stacked_encodings_in_reverse_order() -> None:
    data = compress(compress(PAGE, "gzip"), "br")
    decoder = BodyDecoder(parse_content_encoding("gzip, identity, br"), max_output=len(PAGE))
    assert feed_all(decoder, data) == PAGE


@pytest.mark.parametrize(("header", "encoding"), [("gzip", "gzip"), ("deflate", "deflate"),
                                                  ("deflate", "raw-deflate"), ("br", "br")])  # fmt: skip
def test_it_stops_a_bomb_at_the_budget_with_bounded_memory(header: str, encoding: str) -> None:
    data = bomb(encoding)
    decoder = BodyDecoder([header], max_output=LIMIT)
    tracemalloc.start()
    try:
        with pytest.raises(DecompressionBombError):
            feed_all(decoder, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert decoder.produced == LIMIT
    assert len(decoder.partial) <= LIMIT
    assert peak < 4 * LIMIT, f"peak {peak} bytes while decoding a {BOMB_SIZE}-byte bomb"


def test_it_counts_the_budget_across_chunks() -> None:
    decoder = BodyDecoder(["gzip"], max_output=len(PAGE) - 1)
    with pytest.raises(DecompressionBombError):
        feed_all(decoder, compress(PAGE, "gzip"), chunk=7)


@pytest.mark.parametrize("header", ["zstd", "compress", "gzip, gzip, gzip", "<script>"])
def test_it_refuses_unsupported_or_deeply_stacked_encodings(header: str) -> None:
    with pytest.raises(ContentEncodingError):
        BodyDecoder(parse_content_encoding(header), max_output=LIMIT)


@pytest.mark.parametrize("header", ["gzip", "deflate", "br"])
def test_it_reports_corrupt_data(header: str) -> None:
    decoder = BodyDecoder([header], max_output=LIMIT)
    with pytest.raises(ContentEncodingError):
        feed_all(decoder, b"\x1f\x8b\x08\x00garbage" * 50 + b"\xff" * 100)


def test_it_passes_identity_bodies_through() -> None:
    decoder = BodyDecoder(parse_content_encoding("identity"), max_output=1)
    assert decoder.identity
    assert decoder.feed(b"abc") == b"abc"
