# C types for the compiled build of lexicon.py (see gas_solver/compiled.py); CPython never reads this file.
# HashRng becomes an extension type: its fields are C struct members and its words a C array view,
# so the realizers' draws (qa._pick_named) read them without attribute look-ups or int objects.
cimport cython

cdef class HashRng:
    cdef public bytes key
    cdef public object n
    cdef public const unsigned int[:] words
    cdef public Py_ssize_t pos
    cpdef _refill(self)
    cpdef unsigned int word(self) except? 0
