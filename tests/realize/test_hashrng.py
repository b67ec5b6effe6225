"""HashRng: the stream is a pure function of its key, however much of each block is squeezed first."""

from __future__ import annotations

import hashlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gas_solver.realize.lexicon import HashRng


def reference_words(key: str, blocks: int) -> list[list[int]]:
    """The stream's blocks computed directly: 128 little-endian uint32 of SHAKE-128(key # block)."""
    out = []
    for b in range(blocks):
        d = hashlib.shake_128(key.encode() + b"#" + b.to_bytes(4, "little")).digest(512)
        out.append(list(struct.unpack("<128I", d)))
    return out


def replay(rng: HashRng, ops: list[tuple[str, int]]) -> list:
    """Apply a mix of word/draw/sample/take calls; return everything they produced."""
    got = []
    for op, m in ops:
        if op == "word":
            got.append(rng.word())
        elif op == "draw":
            got.append(rng.draw(1000, m))
        elif op == "sample":
            got.append(rng.sample(range(50), m))
        else:
            pos = rng.take(m)
            got.append(list(rng.words[pos:pos + m]))
    return got


OPS = st.lists(st.tuples(st.sampled_from(["word", "draw", "sample", "take"]), st.integers(1, 128)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(ops=OPS, key=st.text(max_size=12), first=st.sampled_from([1, 5, 42, 100, 128]),
       later=st.sampled_from([1, 42, 128]))
def test_first_words_never_change_the_stream(ops, key, first, later):
    assert replay(HashRng(key, first_words=first, later_words=later), ops) == replay(HashRng(key), ops)


@pytest.mark.parametrize("first", [1, 42, 128])
def test_words_are_the_shake_blocks(first):
    rng = HashRng("sg-0:7", first_words=first, later_words=first)
    blocks = reference_words("sg-0:7", 3)
    assert [rng.word() for _ in range(3 * 128)] == [w for block in blocks for w in block]


def test_take_skips_the_rest_of_a_block_too_short():
    rng = HashRng("k", first_words=42)
    blocks = reference_words("k", 2)
    assert rng.take(100) == 0 and list(rng.words[:100]) == blocks[0][:100]
    pos = rng.take(40)  # 28 words left in block 0: they are skipped
    assert pos == 0 and list(rng.words[:40]) == blocks[1][:40]
    assert rng.draw(1 << 32, 3) == blocks[1][40:43]


def test_draw_longer_than_a_block_reads_word_by_word():
    rng, ref = HashRng("long", first_words=42), HashRng("long")
    assert rng.draw(97, 300) == [ref.word() % 97 for _ in range(300)]
