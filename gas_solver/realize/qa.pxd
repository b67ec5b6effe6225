# C types for the compiled build of qa.py (see gas_solver/compiled.py); CPython never reads this file.
cimport cython
from gas_solver.realize.lexicon cimport HashRng

cdef class _Tables:
    cdef public dict values_for, value_name, value_name_by_type, scene_value_name, scene_values, value_lname
    cdef public dict value_lname_by_type, scene_value_lname_by_type, concept_lname, concept_name, concept_category
    cdef public dict exist_question, attr_surface, rel_lname, attr_question, attr_type_name, attr_q_parts
    cdef public dict scene_type_name, preds_kind, preds_for, kind, by_category, siblings, named_siblings
    cdef public dict named_values, named_scene_values, scene_questions
    cdef public set symmetric
    cdef public object tax

@cython.locals(n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t, words="const unsigned int[:]")
cpdef list _pick_named(HashRng rng, tuple pool, tuple names, Py_ssize_t k, set bad_names)

@cython.locals(n=Py_ssize_t, pos=Py_ssize_t)
cpdef list _place(HashRng rng, list placement, correct, list distractors)

@cython.locals(tab=_Tables, rng=HashRng, qs=list, cl=dict, cname=dict, ccat=dict, concepts_here=set, names_here=set,
               exist=list, foils=list, k=Py_ssize_t, n_qids=Py_ssize_t, surface=dict, value_lname=dict, named_values=dict,
               own_names=set, bad_names=set, rel_name=dict, asked=set)
cpdef list _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position, refs_repeated=*)
