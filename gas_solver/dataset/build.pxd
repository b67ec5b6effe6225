# C types for the compiled build of build.py (see gas_solver/compiled.py); CPython never reads this file.
cimport cython

cdef unsigned long long _MASK64, _GOLDEN, _MIX1, _MIX2

@cython.locals(s="unsigned long long", d="unsigned long long", x="unsigned long long")
cpdef item_seed(seed, draw)

from gas_solver.dataset.schema cimport PartEncoder
from gas_solver.dataset.stats cimport Stats

@cython.locals(encoders=dict, stats=Stats, enc=PartEncoder, by_shape=bint, strata=dict, size=Py_ssize_t,
               i=Py_ssize_t, j=Py_ssize_t, k=Py_ssize_t, c=Py_ssize_t, offset=Py_ssize_t, chunk=list, d=dict)
cpdef dict run_part(ctx, tuple task)
