# C types for the compiled build of stats.py (see gas_solver/compiled.py); CPython never reads this file.
cimport cython

cdef bint _COMPILED

@cython.locals(n=Py_ssize_t, inside=bint, ch=Py_UCS4)
cpdef Py_ssize_t _n_words(str text)

cdef class Stats:
    cdef public object combo_kind
    # Counters (dict subclasses: typed as objects, so that their missing keys count as 0)
    cdef public object rows, shapes, categories, concepts, attribute_types, predicates, scene_attribute_types
    cdef public object _question_types, _answers
    cdef public Py_ssize_t _yes, _no
    cdef public dict complexity, strata, names, combos, _shape_labels, _type_runs
    cdef public object questions, caption_words, caption_max_words

    @cython.locals(key=tuple, names=dict, categories=list, concepts=list, attribute_types=list, o=dict, a=dict,
                   r=dict, words=Py_ssize_t, runs=dict, cell=list)
    cpdef add(self, str split, dict scene, questions, str caption, stratum=*, combos=*)

    @cython.locals(c=object, types=tuple, t=object, cell=list)
    cpdef _settle_types(self)
