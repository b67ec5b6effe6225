# C types for the compiled build of qa.py (see gas_solver/compiled.py); CPython never reads this file.
# The question records, the tables and their records and the random stream are extension types (fields
# read as C struct members); the hot functions take typed arguments and locals.
cimport cython
from gas_solver.realize.lexicon cimport HashRng

cdef class Question:
    cdef public str qtype, format, question, answer
    cdef public bint negative
    cdef public object category, choices
    cdef public tuple elements, depends_on
    cdef public object accepted
    @cython.locals(ids=list)
    cpdef dict to_dict(self, Py_ssize_t k)

cpdef dict element_dict(tuple e)

cdef list _QIDS

cdef class _Pool:
    cdef public tuple ids, lnames, names, recs
    cdef public const unsigned int[:] name_ids

cdef class _Concept:
    cdef public str id, cat, name, lname, exist_q, unit, plural, a_unit, be, exist_many
    cdef public bint countable
    cdef public tuple accepted
    cdef public unsigned int name_id
    cdef public _Pool siblings
    cdef public object related

cdef class _Value:
    cdef public str type, id, name, lname, surf, group
    cdef public unsigned int name_id
    cdef public object near

cdef class _Relation:
    cdef public str id, name, lname, kind, placing, head, tail
    cpdef str around(self, str ref)

cdef _Pool _NO_POOL
cdef dict _NO_POOLS
cdef frozenset _NO_NAMES, _NO_SET

cdef class _Tables:
    cdef public object tax
    cdef public dict name_id, pair_pools
    cdef public dict concept, value, value_pool, attr_q_parts, attr_question, relation
    cdef public dict scene_value, scene_pool, scene_choice_q
    cdef public dict scene_questions, ancestors, name_values, generic, scene_words, scene_contents
    cdef public object generic_names
    cdef public dict young_kinds, young_beside, value_words
    cdef public set scene_exclusive
    cdef public set symmetric, exclusive
    cdef public object person, person_names, never_foil
    cdef public dict worn, gear, materials
    cdef public object material_kinds, set_parts
    cdef public dict colours, children
    cdef public dict value_by_name
    cdef public dict entails, inverse, entailed_by, excluded_predicates, true_of, contradicted_pools
    cdef public dict relation_near_names
    cpdef frozenset related_names(self, _Concept rec)
    cpdef frozenset worn_names(self, str person_cat)
    cpdef frozenset gear_names(self, _Concept rec)
    cpdef frozenset material_names(self, _Concept rec)
    cpdef list piece_names(self, _Concept rec)
    cpdef set worn_positions(self, list recs)
    cpdef frozenset value_near(self, _Value val)
    cpdef tuple predicates_excluded(self, str p, back)
    cpdef frozenset relation_near(self, _Relation rel)
    cpdef set predicates_excluded_reverse(self, str back)
    cpdef _Pool contradicted(self, str subj_cat, str obj_cat, str p, back)

@cython.locals(name_ids="const unsigned int[:]", n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, i=Py_ssize_t,
               j=Py_ssize_t, words="const unsigned int[:]")
cpdef list _pick_named(HashRng rng, _Pool pool, Py_ssize_t k, bad_names)

@cython.locals(ids=tuple, names=tuple, n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t,
               words="const unsigned int[:]")
cpdef list _pick(HashRng rng, _Pool pool, Py_ssize_t k, set bad, set bad_names)

@cython.locals(n=Py_ssize_t, pos=Py_ssize_t)
cpdef list _place(HashRng rng, list placement, correct, list distractors)

cpdef str _attr_question(_Tables tab, type_id, str ref, str be=*)

@cython.locals(tab=_Tables, rng=HashRng, concept=dict, recs=list, rec=_Concept, exist=list, foils=list,
               value=dict, value_pool=dict, pools=dict, pool=_Pool, val=_Value, vals=list, asked=set, names=tuple,
               prs=tuple, ids=tuple, questions_t=dict, relation=dict, rel=_Relation, k=Py_ssize_t,
               yes_no=Py_ssize_t)
cpdef _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position,
                 refs_repeated=*)
