# C types for the compiled build of lexicon.py (see gas_solver/compiled.py); CPython never reads this file.
# HashRng becomes an extension type: its fields are C struct members and its words a C array view,
# so the realizers' draws (qa._pick_named) read them without attribute look-ups or int objects.
cimport cython

cdef class HashRng:
    cdef public bytes key
    cdef public object n
    cdef public const unsigned int[:] words
    cdef public Py_ssize_t pos, first, later
    cpdef _squeeze(self, block, Py_ssize_t m)
    @cython.locals(pos=Py_ssize_t)
    cpdef Py_ssize_t take(self, Py_ssize_t m) except -1
    cpdef unsigned int word(self) except? 0

# The language tables: an extension type, so that the realizers read lex.obj, lex.attr, ... as C struct
# members.  Every attribute is declared (qa.py keeps its tables on the lexicon as _qa_tables).
cdef class Lexicon:
    cdef public object taxonomy, _qa_tables
    cdef public dict attr, obj, rel_present, rel_name, rel_participle_ok, scene_phrase, scene_question, scene_order
    cdef public dict attr_of, scene_phrase_of, rel_present_plural, artist_style_of, rel_after
    cdef public set shared_plurals, plural_only

cpdef str count_word(n)

cpdef str ordinal_word(n)

cpdef str join_list(list items)

cpdef Lexicon lexicon(taxonomy)

@cython.locals(obj=dict)
cpdef list object_words(scene, Lexicon lex)

@cython.locals(by_concept=dict, refs=list, repeated=dict, degree=dict, idx=list, keyed=list, copies=list,
               n=Py_ssize_t, i=Py_ssize_t, k=Py_ssize_t, distinct=bint)
cpdef tuple references(scene, Lexicon lex, list words=*)
