# C types for the compiled build of qa.py (see gas_solver/compiled.py); CPython never reads this file.
# The draw loop of _pick_named runs on C integers instead of Python ints.
cimport cython

@cython.locals(n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, j=Py_ssize_t, w="unsigned int")
cpdef list _pick_named(rng, pool, names, Py_ssize_t k, bad_names)
