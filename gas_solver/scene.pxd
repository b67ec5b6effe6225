# C types for the compiled build of scene.py (see gas_solver/compiled.py); CPython never reads this file.
# The scene dataclasses stay Python classes (pickled, hashed, compared, replaced, built by users);
# only the canonical-form and JSON functions get C-typed locals and C calls between them.
cimport cython

cpdef list _labels(scene)

@cython.locals(n=Py_ssize_t, i=Py_ssize_t, ranks=list, out_edges=list, in_edges=list, sig=list, new=list)
cpdef list _refine(scene, list labels=*)

@cython.locals(n=Py_ssize_t, ranks=list, order=list, r=Py_ssize_t, i=Py_ssize_t)
cpdef list _rank(list keys)

@cython.locals(top=Py_ssize_t, r=Py_ssize_t)
cpdef Py_ssize_t _top(list ranks) except? -2

@cython.locals(where=list)
cpdef tuple _relabelled(scene, tuple perm, list labels=*)

@cython.locals(n=Py_ssize_t, concepts=list, order=list, where=list, k=Py_ssize_t, labels=list, ranks=list, at=list,
               cells=dict, ordered_cells=list, best_perm=tuple, best_rels=tuple, i=Py_ssize_t)
cpdef canonical_form(scene)

@cython.locals(n=Py_ssize_t, out=list, s=Py_ssize_t, o=Py_ssize_t)
cpdef tuple _moved(scene, list where)

@cython.locals(skeys=list, k=Py_ssize_t)
cpdef _finish(scene, tuple best_perm, tuple best_rels)

cpdef _relation(subject, obj, predicate)

cpdef bytes _canonical_payload(canon)

cpdef str canonical_id(scene)

cpdef str _id_of(bytes payload)

@cython.locals(names=dict, objs=list, n_attributes=Py_ssize_t, n_objects=Py_ssize_t, n_relations=Py_ssize_t,
               k=Py_ssize_t, payload=list, dicts=list, pairs=list, cid=str)
cpdef dict scene_to_dict(scene, taxonomy=*, bint canonical=*, list labels=*)

cpdef dict _object_names(taxonomy)

@cython.locals(n=Py_ssize_t, k=Py_ssize_t, x=Py_ssize_t, objs=list, out=list)
cpdef list assemble_objects(list names, list bares, list rows, list inv)

@cython.locals(p=Py_ssize_t)
cpdef assemble_scenes(list out, list positions, rows_objs, rows_rels, list sattrs, modality)
