"""The sum over a five-clique of labels in a few large matrix products, exact without moduli where it is wide.

A contraction of five variables joined pairwise (every pair of objects related: the
five-object tournament) has elimination width four: min-degree elimination builds a
``labels^4`` message (``114^4`` entries, 1.3 GB of float64 per modulus) and multiplies
and transposes it factor by factor, per prime; that took ~180 s.  Here, with the
variables named ``a, b, c, d, e``, ``X = (b, c)`` and ``Y = (d, e)``:

1. ``N_s[X, Y] = Σ_a U_a[s](a) E_ab E_ac · E_ad E_ae``: one float64 matrix product
   ``(labels² × labels) @ (labels × labels²)`` per coefficient ``s`` of ``a``'s unary
   series, computed block by block of ``X`` (memory) and **exact**: a bound by row sums
   keeps every entry below 2^53 (where it would not, ``U_a[s]`` is cut into base-2^β
   digits, one product each).  This is the ``labels^5`` work, done once for every
   prime instead of once per prime.
2. ``Y[X, d] = Σ_e N_s[X, d, e] E_de(d, e) · V[X, e]`` with ``V[X, e] = E_be E_ce U_e(e)``:
   per ``X`` a matrix-vector product, batched; both sides cut into digits so that
   every product and partial sum stays below 2^53 (``N ∘ E`` and ``V`` in float64
   "slices", as in the Ozaki scheme for exact matrix products).  ``labels^4`` work per
   slice pair, never per prime.
3. ``Σ_d E_bd E_cd U_d(d) Y[X, d]`` and ``Σ_X U_b U_c E_bc(X) ·`` that: ``labels^3`` work
   on residues modulo the primes of :mod:`.modular` in int64, and the exact integer by
   the Chinese remainder theorem.

Series (unary factors that are polynomials in ``x`` truncated at ``x^degree``) are
multiplied coefficient by coefficient.  Only constant pairwise factors (the counter's
edge counts) take this path; anything else returns ``None`` and the caller eliminates as
usual.

>>> import numpy as np
>>> from itertools import combinations
>>> rng = np.random.default_rng(1)
>>> u = rng.integers(0, 5, (2, 3)).astype(object)
>>> pairs = [((i, j), rng.integers(0, 4, (3, 3)).astype(object)) for i, j in combinations(range(5), 2)]
>>> from gas_solver.solve.modular import PRIMES, _contract
>>> clique5_series([((v,), u) for v in range(5)] + pairs, 1, PRIMES) == _contract([((v,), u) for v in range(5)] + pairs, 0, 1, 1)[0]
True
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["clique4_series", "clique5_series"]

#: float64 integers are exact below this
_EXACT = float(1 << 53)
#: rows of ``X`` per block (a block of ``N`` holds rows × labels² float64: ~6.6 MB at 114 labels)
_BLOCK_ROWS = 64
#: int64 residues: primes below 2^23, products below 2^46, sums of up to 2^16 of them in an int64
_SUM_TERMS = 1 << 16


def _bits(x: float) -> float:
    return math.log2(x) if x > 0 else 0.0


def _digits(arr: np.ndarray, top: float, bits: int):
    """``arr`` (non-negative float64 integers at most ``top``) as ``[(shift, digit)]`` with every digit below
    ``2^bits`` and ``arr = Σ digit · 2^shift`` (exact: float64 floor of a power-of-two scaling)."""
    if top < 2.0 ** bits:
        return [(0, arr)]
    out = []
    rest = arr
    shift = 0
    scale = 2.0 ** bits
    while True:
        hi = np.floor(rest / scale)
        out.append((shift, rest - hi * scale))
        shift += bits
        top = math.floor(top / scale)
        rest = hi
        if top < scale:
            out.append((shift, rest))
            return out


def _clique(factors, size: int = 5):
    """``(variables, unary, pairs)`` for ``size`` variables all joined pairwise by constant factors, else
    ``None``: ``unary[v]`` a list of (series or constant) arrays, ``pairs[(u, v)]`` (``u < v``) the product of
    the pairwise factors as an object array indexed ``[label of u, label of v]``."""
    variables = sorted({u for sc, _ in factors for u in sc})
    if len(variables) != size:
        return None
    # (scopes first: most components are not cliques, and their arrays are not converted)
    if any(len(sc) > 2 or (len(sc) == 2 and sc[0] == sc[1]) for sc, _ in factors) or (
            len({frozenset(sc) for sc, _ in factors if len(sc) == 2}) != size * (size - 1) // 2):
        return None
    unary: dict = {v: [] for v in variables}
    pairs: dict = {}
    for sc, a in factors:
        arr = np.asarray(a, dtype=object)
        if len(sc) == 1:
            unary[sc[0]].append(arr)
        elif len(sc) == 2 and sc[0] != sc[1] and arr.ndim == 2:
            u, v = sc
            if u > v:
                u, v, arr = v, u, arr.T
            pairs[(u, v)] = arr if (u, v) not in pairs else pairs[(u, v)] * arr
        else:
            return None
    if len(pairs) != size * (size - 1) // 2:
        return None
    return variables, unary, pairs


def _series(arrays, size: int, degree: int) -> np.ndarray:
    """The product of a variable's unary factors truncated at ``x^degree``: ``(degree + 1, size)`` objects."""
    out = np.zeros((degree + 1, size), dtype=object)
    out[0] = 1
    for arr in arrays:
        if arr.ndim == 1:
            out = out * arr[None, :]
            continue
        new = np.zeros_like(out)
        for i in range(degree + 1):
            for j in range(degree + 1 - i):
                new[i + j] += out[i] * arr[j]
        out = new
    return out


def _floats(arr: np.ndarray):
    """``arr`` (non-negative integers) as float64 if every entry is exact there, else ``None``."""
    top = max(arr.reshape(-1).tolist(), default=0)
    if top >= _EXACT or min(arr.reshape(-1).tolist(), default=0) < 0:
        return None
    return np.asarray(arr, dtype=np.float64)


def _digit_products(digits, Q):
    """``Σ_digits (Adig @ Q) · 2^shift`` twice: in float64 and modulo 2^64 (uint64 wraps).  Each product is
    exact (the caller's row-sum bound keeps its rows below 2^53), so the uint64 sum is the value modulo 2^64."""
    Nf = Ni = None
    for shift, Adig in digits:
        N = Adig @ Q
        part = N.astype(np.uint64)
        if shift:
            part <<= np.uint64(shift)
            N *= 2.0 ** shift
        Nf, Ni = (N, part) if Nf is None else (Nf + N, Ni + part)
    return Nf, Ni


def _prepared(factors, size: int, degree: int, primes):
    """What both clique sums start from: ``(variables, sizes, pairs, U, E, Uf, mods)`` (the unary series ``U`` as
    integers and ``Uf`` as floats, the pair factors ``E`` as floats, the moduli the value's bound needs), or
    ``None`` where the factors are not ``size`` variables joined pairwise by constant factors, a unary factor
    disagrees with them, or a factor is not exact in float64."""
    shape = _clique(factors, size)
    if shape is None:
        return None
    variables, unary, pairs = shape
    sizes = {}
    for (u, v), arr in pairs.items():
        sizes[u], sizes[v] = arr.shape
    for v, arrays in unary.items():
        for arr in arrays:
            if arr.shape[-1] != sizes[v] or (arr.ndim == 2 and arr.shape[0] != degree + 1):
                return None
    U = {v: _series(unary[v], sizes[v], degree) for v in variables}
    E = {key: _floats(arr) for key, arr in pairs.items()}
    Uf = {v: _floats(U[v]) for v in variables}
    if any(x is None for x in itertools.chain(E.values(), Uf.values())):
        return None
    mods = _moduli(U, pairs, primes)
    if mods is None:
        return None
    return variables, sizes, pairs, U, E, Uf, mods


def clique5_series(factors, degree: int, primes) -> list[int] | None:
    """``[x^0 .. x^degree] Σ_labels Π factors`` for a five-clique of constant pairwise factors and (series
    or constant) unary factors, exactly; ``None`` where the factors are not of that form or a bound does
    not allow the exact float64 path (the caller then eliminates as usual).  Same value as
    :func:`.modular.contract_series`; ``primes``: the moduli to take from (:data:`.modular.PRIMES`, below
    2^23), as few as the value's bound needs."""
    prepared = _prepared(factors, 5, degree, primes)
    if prepared is None:
        return None
    variables, sizes, pairs, U, E, Uf, mods = prepared
    a, b, c, d, e = variables
    if not len(mods):
        return [0] * (degree + 1)
    k = len(mods)

    Ma, Mb, Mc, Md, Me = (sizes[v] for v in variables)
    Eab, Eac, Ead, Eae = E[(a, b)], E[(a, c)], E[(a, d)], E[(a, e)]
    Ebd, Ebe, Ecd, Ece, Ede = E[(b, d)], E[(b, e)], E[(c, d)], E[(c, e)], E[(d, e)]
    # Q[a, (d, e)] = E_ad E_ae (constant); its row maxima bound step 1 by row sums
    Q = (Ead[:, :, None] * Eae[:, None, :]).reshape(Ma, Md * Me)
    qmax = Q.max(axis=1)
    qsum = float(qmax.sum())
    if qsum >= _EXACT:
        return None
    ede_max = float(Ede.max())
    # the exact product of step 1 per coefficient s: A_s[(b, c), a] = U_a[s](a) E_ab E_ac, cut into digits of
    # β bits where the row-sum bound would pass 2^53
    abc = Eab[:, :, None] * Eac[:, None, :]  # (a, b, c)
    if float(abc.max()) * float(Uf[a].max()) >= _EXACT:
        return None
    beta = math.floor(52.9 - _bits(qsum))
    if beta < 1:
        return None
    G4 = Ebe[:, None, :] * Ece[None, :, :]  # (b, c, e)
    G3 = Ebd[:, None, :] * Ecd[None, :, :]  # (b, c, d)
    if float(G4.max()) * float(Uf[e].max()) >= _EXACT or float(G3.max()) >= _EXACT:
        return None
    G3 = G3.astype(np.int64)
    # Y's bound (every coefficient): N's rows by row sums, times E_de, V and the labels of e
    vmax = max(float(G4.max()) * float(Uf[e][s2].max()) for s2 in range(degree + 1))
    for s in range(degree + 1):
        rows_a = np.tensordot(Uf[a][s] * qmax, abc, axes=1)  # (b, c): Σ_a U_a E_ab E_ac max Q
        if float(rows_a.max()) * ede_max * vmax * (Me + 4) * (1 + 2.0 ** -40) >= 2.0 ** 112:
            return None
    Ei = pairs[(d, e)].astype(np.uint64)
    mods_u = mods.astype(np.uint64)
    m3 = mods[:, None, None]
    two64 = np.array([pow(2, 64, int(p)) for p in mods], dtype=np.int64)
    totals = np.zeros((degree + 1, k), dtype=np.int64)  # residues per coefficient and prime
    Uint = {v: np.stack([np.array((U[v] % int(p)).tolist(), dtype=np.int64) for p in mods]) for v in variables}
    Ebc_res = np.stack([np.array(pairs[(b, c)] % int(p), dtype=np.int64) for p in mods])  # (k, b, c)
    nX = Mb * Mc
    # (the caller holds BLAS to one thread: modular._one_blas_thread)
    for lo in range(0, nX, _BLOCK_ROWS):
        hi = min(nX, lo + _BLOCK_ROWS)
        rows = np.arange(lo, hi)
        ib, ic = rows // Mc, rows % Mc
        B = hi - lo
        abc_blk = abc[:, ib, ic].T  # (X, a)
        # Y residues by the series degree used so far: {t: (k, X, d)}
        Yres = np.zeros((degree + 1, k, B, Md), dtype=np.int64)
        V = {s2: G4[ib, ic, :] * Uf[e][s2][None, :] for s2 in range(degree + 1)}  # (X, e), exact
        Vf = np.stack([V[s2] for s2 in range(degree + 1)], axis=-1)  # (X, e, s2)
        Vi = Vf.astype(np.uint64)
        for s in range(degree + 1):
            ua = Uf[a][s]
            if not ua.any():
                continue
            A = abc_blk * ua[None, :]
            # one product where the rows' own bound allows it, else digits of β bits
            whole = float((A @ qmax).max(initial=0.0)) * (1 + 2.0 ** -40)
            digits = [(0, A)] if whole < 2.0 ** 52.9 else _digits(A, float(A.max(initial=0.0)), beta)
            Nf, Ni = _digit_products(digits, Q)
            # Y[X, d, s2] = Σ_e N E_de V[s2] twice: modulo 2^64 (uint64 wraps) and in float64 (relative
            # error below (labels + 4)·2^-53, far below 2^63 by the bound checked first): together exact.
            # (N is this block's own: multiplied in place, and only the coefficients s2 <= degree - s of V,
            # one labels^4 pass fewer each; ~1 s of the 7 s of the five-object tournament at [1, 16])
            Nf = np.multiply(Nf.reshape(B, Md, Me), Ede[None], out=Nf.reshape(B, Md, Me))
            Ni = np.multiply(Ni.reshape(B, Md, Me), Ei[None], out=Ni.reshape(B, Md, Me))
            top = degree + 1 - s
            Yi = np.matmul(Ni, Vi[:, :, :top])
            Yf = np.matmul(Nf, Vf[:, :, :top])
            q = np.rint((Yf - Yi.astype(np.float64)) * 2.0 ** -64).astype(np.int64)
            for s2 in range(top):
                res = ((q[None, :, :, s2] % m3) * two64[:, None, None]
                       + (Yi[None, :, :, s2] % mods_u[:, None, None]).astype(np.int64))
                Yres[s + s2] = (Yres[s + s2] + res) % m3
        # step 3: Σ_d E_bd E_cd U_d[s3](d) Y[t](X, d), then × U_b U_c E_bc, on residues
        g3 = G3[ib, ic, :][None] % mods[:, None, None]  # (k, X, d)
        for t in range(degree + 1):
            if not Yres[t].any():
                continue
            for s3 in range(degree + 1 - t):
                w3 = g3 * Uint[d][:, s3][:, None, :] % mods[:, None, None]
                z = (Yres[t] * w3 % mods[:, None, None]).sum(axis=2) % mods[:, None]  # (k, X)
                for s4 in range(degree + 1 - t - s3):
                    wx = np.zeros((k, B), dtype=np.int64)
                    for i in range(s4 + 1):
                        wx = (wx + Uint[b][:, i][:, ib] * Uint[c][:, s4 - i][:, ic] % mods[:, None]) % mods[:, None]
                    wx = wx * Ebc_res[:, ib, ic] % mods[:, None]
                    totals[t + s3 + s4] = (totals[t + s3 + s4] + (wx * z % mods[:, None]).sum(axis=1)) % mods
    modulus = math.prod(int(p) for p in mods)
    coef = [(modulus // int(p)) * pow(modulus // int(p), -1, int(p)) for p in mods]
    return [sum(int(r) * cf for r, cf in zip(totals[t], coef)) % modulus for t in range(degree + 1)]


def _moduli(U: dict, pairs: dict, primes):
    """The first of ``primes`` whose product passes the value's bound (non-negative terms: Π_v Σ_labels U_v(1)
    × Π_pairs max), as int64; ``()`` for a zero value, ``None`` beyond them."""
    bound = 1
    for series in U.values():
        bound *= int(series.sum())
    for arr in pairs.values():
        bound *= int(max(arr.reshape(-1).tolist(), default=0))
    if bound == 0:
        return ()
    need = bound.bit_length() + 1
    bits = 0.0
    for k, p in enumerate(primes, 1):
        bits += math.log2(p) - 1e-9
        if bits > need:
            return np.array(primes[:k], dtype=np.int64)
    return None


def clique4_series(factors, degree: int, primes) -> list[int] | None:
    """The same as :func:`clique5_series` for four variables joined pairwise (what a width-3 elimination
    leaves of a core once its objects in two relations are gone): with ``X = (b, c)``,
    ``N_s[X, d] = Σ_a U_a[s] E_ab E_ac E_ad`` as one exact float64 matrix product per coefficient (digits of
    the left side where a row-sum bound would pass 2^53), then ``Y[X] = Σ_d N E_bd E_cd U_d`` modulo 2^64 and in
    float64 (together exact below 2^112), the rest on int64 residues.  The names ``a .. d`` are given to the
    variables so that the bounds are smallest (pairwise factors may be messages of ~2^30).  ``None`` where the
    factors are not of that form or no naming passes the bounds."""
    prepared = _prepared(factors, 4, degree, primes)
    if prepared is None:
        return None
    variables, sizes, pairs, U, E, Uf, mods = prepared
    if not len(mods):
        return [0] * (degree + 1)

    def pair(u, v):  # E indexed [label of u, label of v]
        return E[(u, v)] if u < v else E[(v, u)].T

    top = {key: _bits(float(arr.max(initial=0.0))) for key, arr in E.items()}
    utop = {v: _bits(float(Uf[v].max(initial=0.0))) for v in variables}

    def bits(u, v):
        return top[(min(u, v), max(u, v))]

    best = None
    for a, b, c, d in itertools.permutations(variables):
        if b > c:
            continue
        lead = utop[a] + bits(a, b) + bits(a, c)
        vbits = bits(b, d) + bits(c, d) + utop[d]
        if lead >= 52.9 or vbits >= 52.9 or bits(a, d) + _bits(sizes[a]) >= 52.9:
            continue
        ybits = lead + bits(a, d) + _bits(sizes[a]) + vbits + _bits(sizes[d] + 4)
        if best is None or ybits < best[0]:
            best = (ybits, (a, b, c, d))
    if best is None:
        return None
    a, b, c, d = best[1]
    Ma, Mb, Mc, Md = (sizes[v] for v in (a, b, c, d))
    Q = pair(a, d)  # (a, d)
    qmax = Q.max(axis=1)
    qsum = float(qmax.sum())
    beta = math.floor(52.9 - _bits(qsum))
    if beta < 1:
        return None
    abc = (pair(a, b)[:, :, None] * pair(a, c)[:, None, :]).reshape(Ma, Mb * Mc)  # (a, X)
    G = (pair(b, d)[:, None, :] * pair(c, d)[None, :, :]).reshape(Mb * Mc, Md)  # (X, d)
    V = {s2: G * Uf[d][s2][None, :] for s2 in range(degree + 1)}
    vmax = max(float(x.max(initial=0.0)) for x in V.values())
    A = {s: (abc * Uf[a][s][:, None]).T for s in range(degree + 1)}  # (X, a)
    rows = {s: float((A[s] @ qmax).max(initial=0.0)) * (1 + 2.0 ** -40) for s in A}
    if max(rows.values()) * vmax * (Md + 4) >= 2.0 ** 112:
        return None
    k = len(mods)
    m2 = mods[:, None]
    two64 = np.array([pow(2, 64, int(p)) for p in mods], dtype=np.int64)
    Yres = np.zeros((degree + 1, k, Mb * Mc), dtype=np.int64)
    Vi = {s2: x.astype(np.uint64) for s2, x in V.items()}
    # (the caller holds BLAS to one thread: modular._one_blas_thread)
    for s in range(degree + 1):
        if not Uf[a][s].any():
            continue
        digits = [(0, A[s])] if rows[s] < 2.0 ** 52.9 else _digits(A[s], float(A[s].max(initial=0.0)), beta)
        Nf, Ni = _digit_products(digits, Q)
        for s2 in range(degree + 1 - s):
            yi = (Ni * Vi[s2]).sum(axis=1)  # modulo 2^64
            yf = np.einsum("xd,xd->x", Nf, V[s2])
            q = np.rint((yf - yi.astype(np.float64)) * 2.0 ** -64).astype(np.int64)
            res = (q[None] % m2) * two64[:, None] + (yi[None] % mods.astype(np.uint64)[:, None]).astype(np.int64)
            Yres[s + s2] = (Yres[s + s2] + res) % m2
    Uint = {v: np.stack([np.array((U[v] % int(p)).tolist(), dtype=np.int64) for p in mods]) for v in (b, c)}
    Ebc = pairs[(b, c)] if b < c else pairs[(c, b)].T
    Ebc_res = np.stack([np.array(Ebc % int(p), dtype=np.int64).reshape(-1) for p in mods])  # (k, X)
    ib, ic = np.divmod(np.arange(Mb * Mc), Mc)
    totals = np.zeros((degree + 1, k), dtype=np.int64)
    for t in range(degree + 1):
        for s3 in range(degree + 1 - t):
            wx = np.zeros((k, Mb * Mc), dtype=np.int64)
            for i in range(s3 + 1):
                wx = (wx + Uint[b][:, i][:, ib] * Uint[c][:, s3 - i][:, ic] % m2) % m2
            wx = wx * Ebc_res % m2
            # (sums of 2^16 products below 2^46 at a time stay in an int64)
            acc = np.zeros(k, dtype=np.int64)
            for lo in range(0, Mb * Mc, _SUM_TERMS):
                acc = (acc + (wx[:, lo:lo + _SUM_TERMS] * Yres[t][:, lo:lo + _SUM_TERMS] % m2).sum(axis=1)) % mods
            totals[t + s3] = (totals[t + s3] + acc) % mods
    modulus = math.prod(int(p) for p in mods)
    coef = [(modulus // int(p)) * pow(modulus // int(p), -1, int(p)) for p in mods]
    return [sum(int(r) * cf for r, cf in zip(totals[t], coef)) % modulus for t in range(degree + 1)]
