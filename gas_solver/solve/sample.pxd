# C types for the compiled build of sample.py (see gas_solver/compiled.py); CPython never reads this file.
# The sampler stays a Python class (pickled to spawned workers, extended by tests); only the per-object
# and per-scene assembly loops of the vectorised batches are module functions with C-typed locals.
cimport cython

@cython.locals(n=Py_ssize_t, k=Py_ssize_t, x=Py_ssize_t, objs=list, out=list)
cpdef list _assemble_objects(list names, list bares, list rows, list inv)

@cython.locals(p=Py_ssize_t)
cpdef _assemble_scenes(list out, list positions, rows_objs, rows_rels, list sattrs, modality)
