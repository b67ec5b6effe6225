# C types for the compiled build of schema.py (see gas_solver/compiled.py); CPython never reads this file.
cimport cython

cdef Py_ssize_t _N_SCALAR, _N_JSON, _MAX_OFFSET, _POOL_MAX
cdef list _POOL

cdef class PartEncoder:
    cdef public object formats
    cdef public Py_ssize_t rows
    cdef public bint _parquet, _json
    cdef public list _group, _texts, _ends
    cdef public bytearray _jsonl
    cdef public object _sink, _writer

    @cython.locals(c=Py_ssize_t, start=Py_ssize_t, end=Py_ssize_t, buf=bytearray, ends=list, lines=bytearray)
    cpdef add_values(self, tuple values)
