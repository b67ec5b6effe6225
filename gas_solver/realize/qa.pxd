# C types for the compiled build of qa.py (see gas_solver/compiled.py); CPython never reads this file.
# The tables and their records, the question set being written and the random stream are extension
# types (fields read as C struct members); the hot functions take typed arguments and locals.
cimport cython
from gas_solver.realize.lexicon cimport HashRng

cdef class _Pool:
    cdef public tuple ids, lnames, name_j, foil
    cdef public const unsigned int[:] name_ids

cdef class _Concept:
    cdef public str cat, category_j, name_j, lname, exist_j, unit_x, plural_x
    cdef public unsigned int name_id
    cdef public _Pool siblings

cdef class _Value:
    cdef public str name_j, lname, pair_j, surf_x
    cdef public unsigned int name_id

cdef class _Relation:
    cdef public str name_j, lname, pred_j, name_x, kind

cdef _Pool _NO_POOL
cdef dict _NO_POOLS

cdef class _Tables:
    cdef public object tax
    cdef public dict name_id, pair_pools, pair_splits
    cdef public dict concept, value, value_pool, attr_q_parts_x, attr_question_x, relation
    cdef public dict scene_value, scene_pool, scene_type_name_x
    cdef public dict scene_questions_j
    cdef public set symmetric

cdef class _Kind:
    cdef public str qtype, head, tail
    cdef public bint negative

cdef _Kind _EXISTENCE, _EXISTENCE_NOT, _EXISTENCE_CHOICE, _COUNT_CHOICE, _COUNT_NUMBER, _ATTRIBUTE, _ATTRIBUTE_NOT
cdef _Kind _ATTRIBUTE_CHOICE, _RELATION, _RELATION_NOT, _RELATION_CHOICE, _SCENE, _SCENE_NOT, _SCENE_CHOICE

cdef list _QIDS, _QOPEN

cdef class QuestionSetText:
    cdef public list texts, types
    cdef public Py_ssize_t yes_no, yes, no
    @cython.locals(k=Py_ssize_t)
    cpdef str add_yes_no(self, _Kind kind, str category, str elements, str question, str depends_on)
    @cython.locals(k=Py_ssize_t)
    cpdef str add_choice(self, _Kind kind, str category, str elements, str question, str answer_j, str choices,
                         str depends_on)

@cython.locals(name_ids="const unsigned int[:]", n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, i=Py_ssize_t,
               j=Py_ssize_t, words="const unsigned int[:]", name="unsigned int", n_bad=Py_ssize_t, b=Py_ssize_t,
               bad="unsigned int")
cpdef list _pick_named(HashRng rng, _Pool pool, Py_ssize_t k, tuple bad_ids)

@cython.locals(ids=tuple, names=tuple, n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t,
               words="const unsigned int[:]")
cpdef list _pick(HashRng rng, _Pool pool, Py_ssize_t k, set bad, set bad_names)

@cython.locals(n=Py_ssize_t, pos=Py_ssize_t)
cpdef list _place(HashRng rng, list placement, correct, list distractors)

cpdef str _attr_question(_Tables tab, type_id, str ref)

cpdef str _choices(list texts)

@cython.locals(tab=_Tables, rng=HashRng, qs=QuestionSetText, concept=dict, recs=list, rec=_Concept, names_here=tuple,
               exist=list, foils=list, value=dict, value_pool=dict, pools=dict, pool=_Pool, val=_Value, vals=list,
               own_names=tuple, own=tuple, asked=set, refs_x=list, name_j=tuple, absent=tuple, other=tuple,
               ids=tuple, pairs=tuple, questions_t=dict, relation=dict, rel=_Relation,
               by_object=dict, fmt=_Kind, k=Py_ssize_t)
cpdef QuestionSetText _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position,
                                 refs_repeated=*)
