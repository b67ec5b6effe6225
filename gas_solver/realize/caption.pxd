# C types for the compiled build of caption.py (see gas_solver/compiled.py); CPython never reads this file.
# The template and the writer become extension types: their fields are C struct members and the writer's
# methods call each other through C (cpdef), so rendering a caption is no longer mostly attribute look-ups.
cimport cython
from gas_solver.realize.lexicon cimport HashRng, Lexicon

cdef class _Opts:
    cdef public bint participle, fragment, chain, group_there, iso_there, iso_first, scene_first
    cdef public HashRng rng

@cython.locals(bits=cython.uint, opts=_Opts)
cpdef _Opts _template(cid, seed)

cpdef str _cap(str s)

@cython.locals(i=Py_ssize_t, j=Py_ssize_t)
cpdef _shuffle(HashRng rng, list xs)

@cython.locals(x=Py_ssize_t)
cpdef Py_ssize_t _find(list parent, Py_ssize_t x) except -1

cdef class _Writer:
    cdef public Lexicon lex
    cdef public object scene
    cdef public Py_ssize_t head
    cdef public tuple objects
    cdef public _Opts o
    cdef public list words, refs, out, splits, queue
    cdef public set introduced, visited

    @cython.locals(attrs=list, attr_of=dict, hit=tuple, repeated_type=bint, k=Py_ssize_t)
    cpdef tuple _split(self, Py_ssize_t i)

    @cython.locals(pre=list, post=list, np=str)
    cpdef str intro(self, Py_ssize_t i)

    cpdef bint has_post(self, Py_ssize_t i) except -1

    @cython.locals(attrs=list, attr_of=dict)
    cpdef str predicative(self, Py_ssize_t i)

    @cython.locals(out=list, copies=list, descs=list, head=str, k=Py_ssize_t, i=Py_ssize_t, classes=dict,
                   n=Py_ssize_t)
    cpdef list groups(self, dict repeated)

    @cython.locals(np=str, w=Py_ssize_t)
    cpdef str obj_phrase(self, Py_ssize_t v)

    @cython.locals(edges=list, participle=bint, participle_ok=dict, forms=dict, vps=list, last=Py_ssize_t,
                   k=Py_ssize_t, v=Py_ssize_t, post_before_last=bint, chain=bint, subject=str)
    cpdef str relation_sentence(self, Py_ssize_t u)

    @cython.locals(n=Py_ssize_t, parent=list, comps=dict, i=Py_ssize_t)
    cpdef list components(self)

    @cython.locals(out=list, has_in=set, comps=list, comp=list, roots=list, left=list, rng=HashRng, u=Py_ssize_t)
    cpdef list relation_sentences(self)

    @cython.locals(lex=Lexicon, sa=tuple, order=dict, keyed=list, items=list, k=Py_ssize_t, phrase_of=dict,
                   phrases=list)
    cpdef scene_sentence(self)

    @cython.locals(lex=Lexicon, refs=list, repeated=dict, keys=list, sentences=list, rel=list, rest=list, iso=list,
                   nps=list)
    cpdef str render(self, refs_repeated=*)
