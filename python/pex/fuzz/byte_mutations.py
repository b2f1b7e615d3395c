"""Format-blind mutations of a file's bytes. Each returns (mutant, description)."""

from __future__ import annotations

import random
import struct

# Values that sit on the edges importers check (or forget to): zero, one, sign bits, the
# largest sizes, a billion elements.
INTERESTING_32 = (0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 10**9,
                  0x3FFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE)


def flip_bits(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    count = rng.choice((1, 1, 2, 4, 16))
    for _ in range(count):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out), f"flip {count} bits"


def set_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    pos = rng.randrange(len(out))
    width = rng.choice((1, 2, 4, 8))
    chunk = bytes(rng.choice((0x00, 0xFF, 0x7F, 0x80)) for _ in range(width))
    out[pos:pos + width] = chunk
    return bytes(out[:len(data)]), f"overwrite {width} bytes at {pos} with {chunk.hex()}"


def set_word(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """An interesting 32-bit value at a 4-aligned position (flatbuffer offsets, lengths and
    int32 fields are aligned)."""
    out = bytearray(data)
    pos = rng.randrange(max(1, len(out) // 4)) * 4
    value = rng.choice(INTERESTING_32)
    out[pos:pos + 4] = struct.pack("<I", value)
    return bytes(out[:len(data)]), f"word at {pos} = {value:#x}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    size = rng.choice((rng.randrange(len(data)), rng.randrange(min(len(data), 64)),
                       len(data) - rng.randrange(1, min(len(data), 256) + 1)))
    return data[:size], f"truncate to {size} bytes"


def extend(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    size = rng.choice((1, 7, 64, 4096))
    return data + bytes(rng.randrange(256) for _ in range(size)), f"append {size} bytes"


def splice(data: bytes, rng: random.Random, other: bytes) -> tuple[bytes, str]:
    """The head of one file and the tail of another (both of one format)."""
    cut = rng.randrange(len(data))
    other_cut = rng.randrange(len(other))
    return data[:cut] + other[other_cut:], f"splice at {cut} with another file from {other_cut}"


def copy_within(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    size = rng.randrange(1, min(len(out), 512) + 1)
    source, target = rng.randrange(len(out) - size + 1), rng.randrange(len(out) - size + 1)
    out[target:target + size] = data[source:source + size]
    return bytes(out), f"copy {size} bytes from {source} to {target}"


MUTATIONS = (flip_bits, set_bytes, set_word, truncate, extend, copy_within)
