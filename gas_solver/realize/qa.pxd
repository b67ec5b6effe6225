# C types for the compiled build of qa.py (see gas_solver/compiled.py); CPython never reads this file.
# The tables, the question set being written and the random stream are extension types (fields read
# as C struct members); the hot functions take typed arguments and locals.
cimport cython
from gas_solver.realize.lexicon cimport HashRng

cdef class _Tables:
    cdef public dict value_name_by_type, scene_value_name, value_lname, concept_lname, concept_name, concept_category
    cdef public dict rel_lname, preds_kind, preds_for, kind, by_category, siblings, named_siblings, named_values
    cdef public dict named_scene_values, category_j, concept_name_j, exist_question_j, absent_concept_j, unit_x
    cdef public dict plural_x, value_j, value_name_j_by_type, attr_q_parts_x, attr_question_x, predicate_j
    cdef public dict rel_name_x, rel_name_j, scene_pair_j, scene_value_name_j, scene_type_name_x, scene_questions_j
    cdef public set symmetric
    cdef public object tax

cdef class QuestionSetText:
    cdef public list texts, types
    cdef public Py_ssize_t yes_no, yes, no
    @cython.locals(k=Py_ssize_t)
    cpdef str add(self, str qtype, str fmt, bint negative, str category, str elements, str question, answer,
                  str answer_j, str choices, str depends_on)

@cython.locals(n=Py_ssize_t, m=Py_ssize_t, pos=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t, words="const unsigned int[:]")
cpdef list _pick_named(HashRng rng, tuple pool, tuple names, Py_ssize_t k, set bad_names)

@cython.locals(n=Py_ssize_t, pos=Py_ssize_t)
cpdef list _place(HashRng rng, list placement, correct, list distractors)

cpdef str _attr_question(_Tables tab, type_id, str ref)

cpdef str _choices(list texts)

@cython.locals(tab=_Tables, rng=HashRng, qs=QuestionSetText, cl=dict, ccat=dict, cat_j=dict, name_j=dict,
               concepts_here=set, names_here=set, exist=list, foils=list, value_lname=dict, named_values=dict,
               value_j=dict, absent_concept=dict, rel_x=dict, pred_j=dict, rel_j=dict, own_names=set, bad_names=set,
               asked=set, refs_x=list)
cpdef QuestionSetText _questions(canon, taxonomy, cid, seed, negatives, multiple_choice, yes_share, choice_position,
                                 refs_repeated=*)
