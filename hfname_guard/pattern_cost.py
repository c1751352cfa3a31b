r"""Refuse policy patterns whose matching could run away on a name (catastrophic backtracking).

Python's ``re`` tries the ways a pattern can read a text one after another, with no time limit.
``(\d+\.?)+`` can read a run of digits in exponentially many ways (``123`` as ``1|2|3``,
``12|3``, ``1|23`` or ``123``), and on a name it then fails to match it tries them all: thirty
digits take minutes. ``a*a*a*a*a*`` is polynomial, yet a 96-character name costs it seconds.
The pattern is a policy's, and in CI a pull request writes the policy, so it is checked when
the policy loads, and refused with a message that says how to rewrite it.

The check is the classic one on the pattern's position automaton (Glushkov's: one state per
character the pattern reads, an edge where one may follow another), built from the tree of
``re``'s own parser, so it sees the pattern exactly as ``re`` will run it:

- exponential: some text leads from a state back to itself along two different paths; the
  ways then double with each repetition. Seen as a loop of the automaton paired with itself
  that passes a pair of equal states and a pair of different ones, or two edges between the
  same two states (the automaton counts edges: ``(a+)+`` has one state and two loops on it).
- polynomial: ``MAX_SHARING`` or more repeated parts in a row can each read the same text
  (``\w*\w*\w*\w*``); the time then grows as that power of the name's length.

Characters are those a repo name may hold (letters, digits, ``-``, ``_``, ``.``), plus one that
stands for every other letter and one for everything else. ``{m,n}`` counts as unbounded,
a backreference as any text, lookarounds and atomic groups are checked on their own: every
approximation errs towards refusing. What is accepted costs at most about 96³ steps a match,
since names longer than the Hub's 96 characters are never matched (``facts.template_match``).
Loaded only by a policy with patterns: ``re`` has already imported its parser.
"""

from __future__ import annotations

import string
import sys
from functools import cache

from .record import Record

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse
else:
    import sre_parse

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

MAX_SHARING = 4
"""Repeated parts in a row that may not share out the same text: 3 cost at most 96³ steps."""
MAX_STATES = 1000
"""Characters one pattern may read: a name has at most 96, so a longer pattern is a word list."""
MAX_PAIR_STEPS = 200_000
"""Work the check itself may do on one pattern (about a tenth of a second)."""
_SHORTER = "a name has at most 96 characters: write a shorter pattern, or list the words in an `enum`"

_OTHER_LETTER, _OTHER = "é", " "
_NAME_CHARACTERS = string.ascii_letters + string.digits + "-_."
_ALPHABET = _NAME_CHARACTERS + _OTHER_LETTER + _OTHER
_EVERYTHING = (1 << len(_ALPHABET)) - 1
_STAND_INS = (1 << _ALPHABET.index(_OTHER_LETTER)) | (1 << _ALPHABET.index(_OTHER))
"""The two characters that stand for many: a negated set always keeps them."""
_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda char: char.isalnum() or char == "_",
    "CATEGORY_LINEBREAK": lambda char: char == "\n",
}
_EXPONENTIAL_HINT = (
    "a repeated part can read the same text in more than one way, and a name that fails to match makes "
    "`re` try every way; rewrite it so that each repetition starts with a character the one before cannot "
    r"end with, e.g. `\d+(\.\d+)*` rather than `(\d+\.?)+`"
)


@cache  # the base and head policies of a pull request often share their patterns
def backtracking_problem(pattern: str) -> str | None:
    """Why matching ``pattern`` (a valid regular expression, matched ignoring case) against a
    name could run away, as the end of a sentence that starts with the pattern ("can take
    exponential time ..."); None when it cannot."""
    return _problem(sre_parse.parse(pattern).data)


Ways = dict[int, int]
"""For each state, in how many different ways (1, or 2 for "more than one") a part can begin
by entering it, or end by leaving it."""
Pair = tuple[int, int]
"""Two states: where two readings of one text have got to."""


class _Fragment(Record):
    """A part of the pattern in the automaton: in how many ways it can read nothing, and how
    it can begin and end. Counting ways, not only states, keeps what a plain position
    automaton loses: ``(a+)+`` has one state, but two loops on it."""

    empty: int
    first: Ways
    last: Ways


_EMPTY = _Fragment(1, {}, {})


class _Automaton:
    """Glushkov's automaton of one pattern: ``reads[state]`` is the set of characters (a bit
    mask over ``_ALPHABET``) that leads into ``state``; ``follow[state]`` the states after it,
    each with the number of different edges (capped at 2) that lead there.
    Parts the engine never backtracks into (lookarounds, atomic groups, possessive repeats)
    are left in ``apart``, to be checked as patterns of their own."""

    def __init__(self, items: list[Any]) -> None:
        self.reads: list[int] = []
        self.follow: list[Ways] = []
        self.apart: list[list[Any]] = []
        fragment = self.sequence(items)
        self.start = self.state(0)
        self.link({self.start: 1}, fragment.first)

    def state(self, reads: int) -> int:
        self.reads.append(reads)
        self.follow.append({})
        return len(self.reads) - 1

    def link(self, ends: Ways, starts: Ways) -> None:
        for end, end_ways in ends.items():
            follow = self.follow[end]
            for start, start_ways in starts.items():
                follow[start] = min(2, follow.get(start, 0) + end_ways * start_ways)

    def sequence(self, items: list[Any]) -> _Fragment:
        result = _EMPTY
        for op, argument in items:
            fragment = self.node(op.name, argument)
            self.link(result.last, fragment.first)
            result = _Fragment(
                min(2, result.empty * fragment.empty),
                _plus(result.first, _times(result.empty, fragment.first)),
                _plus(fragment.last, _times(fragment.empty, result.last)),
            )
        return result

    def node(self, op: str, argument: Any) -> _Fragment:
        if op in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return self.single(_characters(op, argument), loops=False, empty=0)
        if op == "SUBPATTERN":
            return self.sequence(argument[-1])
        if op == "BRANCH":
            return self.branch(argument[1])
        if op == "GROUPREF_EXISTS":
            return self.branch([argument[1], argument[2] or []])
        if op in ("MAX_REPEAT", "MIN_REPEAT"):
            return self.repeat(*argument)
        if op == "AT":
            return _EMPTY
        if op in ("ASSERT", "ASSERT_NOT"):
            self.apart.append(argument[1])
            return _EMPTY
        if op == "ATOMIC_GROUP":
            self.apart.append(argument)
            return self.single(_Automaton(argument).everything_read(), loops=False, empty=int(_width(argument)[0] == 0))
        if op == "POSSESSIVE_REPEAT":
            low, _, body = argument
            self.apart.append(body)
            empty = int(low == 0 or _width(body)[0] == 0)
            return self.single(_Automaton(body).everything_read(), loops=False, empty=empty)
        return self.single(_EVERYTHING, loops=True, empty=1)  # a backreference: whatever its group read

    def single(self, reads: int, loops: bool, empty: int) -> _Fragment:
        """One state: a character; a part the engine reads in one go and never gives back (an
        atomic group, a possessive repeat), as if it were one character; or any text (``loops``)."""
        state = self.state(reads)
        if loops:
            self.follow[state][state] = 1
        return _Fragment(empty, {state: 1}, {state: 1})

    def branch(self, alternatives: list[list[Any]]) -> _Fragment:
        fragments = [self.sequence(alternative) for alternative in alternatives]
        first: Ways = {}
        last: Ways = {}
        for fragment in fragments:
            _add(first, fragment.first)
            _add(last, fragment.last)
        return _Fragment(min(2, sum(fragment.empty for fragment in fragments)), first, last)

    def repeat(self, low: int, high: int, body: list[Any]) -> _Fragment:
        if high == 0:
            return _EMPTY
        fragment = self.sequence(body)
        if high > 1:
            self.link(fragment.last, fragment.first)
        if high > 1 and fragment.empty:  # `(b?)+`: `re` tries more than one way of reading nothing with it
            return fragment.replace(empty=2)
        return fragment.replace(empty=min(2, int(low == 0) + fragment.empty))

    def everything_read(self) -> int:
        mask = 0
        for reads in self.reads:
            mask |= reads
        return mask


def _plus(one: Ways, other: Ways) -> Ways:
    total = dict(one)
    _add(total, other)
    return total


def _add(total: Ways, other: Ways) -> None:
    for state, ways in other.items():
        total[state] = min(2, total.get(state, 0) + ways)


def _times(factor: int, ways: Ways) -> Ways:
    return {state: min(2, factor * count) for state, count in ways.items() if factor}



class _TooComplex(Exception):
    """The paired automaton outgrew ``MAX_PAIR_STEPS``."""


def _problem(items: list[Any]) -> str | None:
    automaton = _Automaton(items)
    for part in automaton.apart:
        found = _problem(part)
        if found is not None:
            return found
    if len(automaton.reads) > MAX_STATES:
        return (f"is too long to be checked for runaway matching ({len(automaton.reads):,} characters to match, "
                f"more than {MAX_STATES:,}); {_SHORTER}")
    try:
        pairs = _PairGraph(automaton)
    except _TooComplex:
        return f"is too complex to be checked for runaway matching; {_SHORTER}"
    if pairs.exponential():
        return f"can take exponential time on a long name: {_EXPONENTIAL_HINT}"
    sharing = pairs.longest_sharing()
    if sharing >= MAX_SHARING:
        return (
            f"can take time that grows as the {sharing}th power of a name's length: {sharing} repeated parts in a "
            "row can each read the same text, and a name that fails to match makes `re` try every way to share it "
            r"out; let neighbouring parts read different characters, e.g. `[a-z]+\d+` rather than `\w+\w+`"
        )
    return None


class _PairGraph:
    """The automaton paired with itself, from its start: the pair (p, q) stands for two ways of
    reading one text, one ending in state p, the other in q. ``components`` are its strongly
    connected parts (Tarjan's algorithm, without recursion: a pattern may be long), sinks first."""

    def __init__(self, automaton: _Automaton) -> None:
        self.automaton = automaton
        self.successors: dict[Pair, list[Pair]] = {}
        self.steps = 0
        self.component_of: dict[Pair, int] = {}
        self.components: list[list[Pair]] = []
        self._tarjan((automaton.start, automaton.start))

    def _next(self, pair: Pair) -> list[Pair]:
        if pair not in self.successors:
            follow, reads = self.automaton.follow, self.automaton.reads
            self.steps += len(follow[pair[0]]) * len(follow[pair[1]])
            if self.steps > MAX_PAIR_STEPS:
                raise _TooComplex
            self.successors[pair] = [
                (one, other) for one in follow[pair[0]] for other in follow[pair[1]] if reads[one] & reads[other]
            ]
        return self.successors[pair]

    def _tarjan(self, root: Pair) -> None:
        index: dict[Pair, int] = {root: 0}
        low = dict(index)
        stack, on_stack = [root], {root}
        work = [(root, iter(self._next(root)))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(self._next(child))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members: list[Pair] = []
                while not members or members[-1] != node:
                    members.append(stack.pop())
                    on_stack.discard(members[-1])
                    self.component_of[members[-1]] = len(self.components)
                self.components.append(members)

    def looping(self, members: list[Pair]) -> bool:
        return len(members) > 1 or members[0] in self.successors[members[0]]

    def exponential(self) -> bool:
        """Whether two different paths lead from one state back to itself reading the same text:
        a looping part that holds a pair of equal states and a pair of different ones, or two
        edges from one state to another (``(a+)+``: an inner and an outer loop)."""
        for members in self.components:
            if not self.looping(members):
                continue
            diagonal = [one for one, other in members if one == other]
            if diagonal and (len(diagonal) < len(members) or self._doubled(diagonal, set(members))):
                return True
        return False

    def _doubled(self, states: list[int], members: set[Pair]) -> bool:
        follow = self.automaton.follow
        return any(
            ways > 1 and (target, target) in members for state in states for target, ways in follow[state].items()
        )

    def longest_sharing(self) -> int:
        """The most looping states in a row that can each read the same text, as in ``a*a*a*``:
        state p hands the text on to q when the pairs go from (p, p) to (p, q), loop there, and
        go on to (q, q). A necessary condition, so it errs towards more."""
        reach = self._reach()
        looping = {pair for members in self.components if self.looping(members) for pair in members}
        hands_on: dict[int, list[int]] = {}
        for one, other in looping:
            if one == other or (other, other) not in self.component_of:
                continue
            before, during, after = (self.component_of[pair] for pair in ((one, one), (one, other), (other, other)))
            if (one, one) in looping and reach[before] >> during & 1 and reach[during] >> after & 1:
                hands_on.setdefault(one, []).append(other)
        return _longest_path(hands_on)

    def _reach(self) -> list[int]:
        """For each strongly connected part, the parts reachable from it, as a bit set."""
        reach = [1 << number for number in range(len(self.components))]
        for number, members in enumerate(self.components):  # sinks first: successors are done
            for pair in members:
                for child in self.successors[pair]:
                    reach[number] |= reach[self.component_of[child]]
        return reach


def _longest_path(edges: dict[int, list[int]]) -> int:
    """The most nodes on one path of ``edges`` (without recursion: a pattern may be long)."""
    longest: dict[int, int] = {}
    for start in edges:
        stack = [(start, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                longest[node] = 1 + max((longest[other] for other in edges.get(node, ())), default=0)
            elif node not in longest:
                longest[node] = 1  # for now: a path back here would loop, which `exponential` refuses
                stack.append((node, True))
                stack.extend((other, False) for other in edges.get(node, ()) if other not in longest)
    return max(longest.values(), default=0)


def _width(items: list[Any]) -> tuple[int, int]:
    return sre_parse.SubPattern(sre_parse.State(), items).getwidth()


def _characters(op: str, argument: Any) -> int:
    """The characters of ``_ALPHABET`` a one-character part reads, ignoring case, as a bit mask."""
    if op == "ANY":
        return _EVERYTHING
    if op == "LITERAL":
        return _literal(argument)
    if op == "NOT_LITERAL":
        return (_EVERYTHING & ~_literal(argument)) | _STAND_INS
    negated = bool(argument) and argument[0][0].name == "NEGATE"
    mask = 0
    for item_op, item in argument[1:] if negated else argument:
        mask |= _set_item(item_op.name, item)
    return (_EVERYTHING & ~mask) | _STAND_INS if negated else mask


def _set_item(op: str, item: Any) -> int:
    if op == "LITERAL":
        return _literal(item)
    if op == "RANGE":
        low, high = item
        mask = _matching(lambda char: any(low <= ord(form) <= high for form in _forms(char)))
        outside = any(chr(code) not in _NAME_CHARACTERS for code in range(low, min(high, low + 128) + 1))
        return mask | (_STAND_INS if outside else 0)
    name = item.name
    test = _CATEGORIES.get(name.replace("_NOT_", "_"))
    if test is None:
        return _EVERYTHING
    mask = _matching(test)
    return (_EVERYTHING & ~mask) | _STAND_INS if "_NOT_" in name else mask


@cache
def _literal(code: int) -> int:
    char = chr(code)
    mask = _matching(lambda candidate: any(form in _forms(char) for form in _forms(candidate)))
    if char not in _NAME_CHARACTERS:
        mask |= 1 << _ALPHABET.index(_OTHER_LETTER if char.isalnum() or char == "_" else _OTHER)
    return mask


def _forms(char: str) -> set[str]:
    return {char, char.lower(), char.upper(), char.casefold()}


def _matching(test: Any) -> int:
    mask = 0
    for position, char in enumerate(_ALPHABET):
        if test(char):
            mask |= 1 << position
    return mask
