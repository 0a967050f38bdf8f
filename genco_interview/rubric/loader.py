"""Reading a rubric from YAML and validating it: every error names the file, the line and the field.

Rubrics are data written by people, so a mistake must be found where it is, and loading never
imports numpy or torch: `genco rubric show` must stay instant.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import yaml

from ..datafile import SAFE_LOADER
from ..errors import line_and_column
from ..text.escapes import CONTROL_CHARACTER, control_character_problem
from ..text.reading import is_blank, is_hidden
from .model import (
    CONCEPT_EXEMPLARS,
    CONCEPT_ID,
    DEFAULT_SCORE_BANDS,
    DEPTH_NAME,
    MAX_ENTRIES,
    MAX_NESTING,
    MAX_NODES,
    MAX_TEXT_CHARS,
    MAX_TEXTS,
    MAX_WEIGHT,
    PLACEHOLDER,
    REFERENCE_EXEMPLARS,
    REFERENCE_SCORING,
    RUBRIC_ID,
    RUBRIC_LIMIT,
    SCHEMA_VERSION,
    TAG,
    Calibration,
    Concept,
    Depth,
    FollowUp,
    Misconception,
    Rubric,
    RubricError,
    ScoreBand,
    ScoringConfig,
    UnreadableRubric,
    id_problem,
)
from .reference import NO_KEY_POINT, derive_concepts, has_key_point, point_name

COLON_HINT = "a text with ': ' in it needs quotes"
"""What most YAML slips in a hand-written rubric come down to: YAML reads an unquoted ": " as a key."""


class _Node:
    """A YAML node with the path that reached it, so errors can say where they are."""

    def __init__(self, source: str, node: yaml.Node, path: str) -> None:
        self.source = source
        self.node = node
        self.path = path

    def fail(self, message: str, at: yaml.Mark | None = None, line: int | None = None) -> RubricError:
        """The error for this node, at its first line, at `at`, a place inside it, or at `line` of the file."""
        line = line or (at or self.node.start_mark).line + 1
        where = f"{self.path}: " if self.path else ""
        return RubricError(f"{self.source}:{line}: {where}{message}", line)

    def mapping(self) -> dict[str, _Node]:
        return {key.scalar(): value for key, value in self.pairs()}

    def pairs(self) -> list[tuple[_Node, _Node]]:
        """(key, value) of a mapping, in order; each key a single value (`? [x, y]` is refused) said once."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.fail("expected a mapping (key: value lines)")
        out: list[tuple[_Node, _Node]] = []
        seen: set[str] = set()
        for key, value in self.node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise _Node(self.source, key, self.path).fail("a key must be a single name, not a list or mapping")
            name = str(key.value)
            path = self._child(_short_key(name)) if name else self.path  # "depths", not "depths.", for a key ''
            if name.strip() in seen:  # names are read stripped: " answer" is "answer" said twice
                raise _Node(self.source, key, path).fail("duplicate key")
            seen.add(name.strip())
            out.append((_Node(self.source, key, path), _Node(self.source, value, path)))
        return out

    def items(self, limit: int | None = None) -> list[_Node]:
        """The list's entries (at most `limit`, counted before any is read)."""
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.fail("expected a list")
        if limit is not None and len(self.node.value) > limit:
            raise self.fail(f"has {len(self.node.value):,} entries; at most {limit} are allowed")
        return [_Node(self.source, v, f"{self.path}[{i}]") for i, v in enumerate(self.node.value)]

    def scalar(self) -> str:
        if not isinstance(self.node, yaml.ScalarNode):
            tagged = "" if self.node.tag in PLAIN_COLLECTION_TAGS else f", got a value tagged {tag_shown(self.node.tag)}"
            raise self.fail("expected a single value" + (tagged or self._colon_hint()))
        return str(self.node.value)

    def _colon_hint(self) -> str:
        """Why a text came out as a mapping: a text with ": " in it, unquoted, is read by YAML as a key
        and its value, the most common slip in a hand-written rubric ("a Task: schedules a coroutine")."""
        pairs = self.node.value if isinstance(self.node, yaml.MappingNode) else []
        if len(pairs) != 1 or not all(isinstance(n, yaml.ScalarNode) and not n.style for n in pairs[0]):  # plain, unquoted
            return ""
        key, value = (n.value for n in pairs[0])
        return f", not the key and value {key!r}: {value!r} ({COLON_HINT})"

    def text(self) -> str:
        value = self.scalar().strip()
        if is_blank(value) or self.node.tag == NULL_TAG:  # `~` and `null` are YAML's nothing, not the text "~"
            raise self.fail("must not be empty")
        if self.node.tag == MERGE_TAG:  # `tags: [python, <<]`: YAML reads a lone << as a merge key too
            raise self.fail(MERGE_KEY_REFUSED)
        if self.node.tag != STR_TAG:  # `- 1`, `- true`, `id: 12345`: YAML read a number, a yes/no or a date
            kind = YAML_KINDS.get(self.node.tag, f"a value tagged {tag_shown(self.node.tag)}")
            raise self.fail(f"expected a text, got {kind} {value[:KEY_SHOWN]!r} (put it in quotes if it is meant as text)")
        if value.startswith(PLACEHOLDER):
            raise self.fail(f"still a placeholder from `genco rubric new`: {value[:60]!r}")
        if len(value) > MAX_TEXT_CHARS:
            raise self.fail(f"a text of {len(value):,} characters; at most {MAX_TEXT_CHARS:,} are allowed")
        if control := CONTROL_CHARACTER.search(value):  # "\x07" in quotes: YAML's escapes reach here
            raise self.fail(control_character_problem(control.group()), line=self._line_of(control.group()))
        return value

    def _line_of(self, part: str) -> int | None:
        """The line of the file where `part` of this text is, when the text is a literal block (`|`), which keeps
        its lines as the file has them; None otherwise. An invisible character was said to be on the `key: |` line."""
        if self.node.style != "|" or (offset := self.node.value.find(part)) < 0:
            return None
        return self.node.start_mark.line + 2 + self.node.value.count("\n", 0, offset)

    def claim(self) -> str:
        """A text that says something in words (a claim, a question, a title or a name): one letter or digit
        at least, in any script. An exemplar of "🐍" or "..." passed, and the meaning checks then counted it
        as a different exemplar; a concept named "***" was a row of stars on the card."""
        value = self.text()
        if not any(ch.isalnum() for ch in value):
            raise self.fail(f"has no words: write it in words, not {value[:KEY_SHOWN]!r}")
        return value

    def exemplar(self) -> str:
        """A claim (claim) with a word an answer can share with it, of two letters or more and no stopword:
        "the the the" or "x" passed, and the meaning checks then read them as exemplars like any other."""
        from ..text.segment import content_words

        value = self.claim()
        if not any(len(word) > 1 for word in content_words(value)):
            raise self.fail(f"says nothing an answer could state: write the claim in words, not {value[:KEY_SHOWN]!r}")
        return value

    def number(self, minimum: float | None = None, maximum: float | None = None, positive: bool = False) -> float:
        """The node as a finite number in [minimum, maximum] (above 0 when `positive`); fails naming the line."""
        raw = self.scalar()
        if _written_as_text(self.node):  # as `title: 3` is refused, so is `weight: "2"`
            raise self.fail(f"expected a number, got the text {raw[:KEY_SHOWN]!r}"
                            + (f" ({_AS_NUMBER.get(self.node.style, 'remove the !!str tag')} if it is meant as a number)" if _looks_numeric(raw) else ""))
        try:
            if "_" in raw or not raw.isascii():  # float() reads "1_0" and "１０" as 10: typos, not numbers
                raise ValueError(raw)
            value = float(raw)
        except ValueError:
            raise self.fail(f"expected a number, got {raw[:KEY_SHOWN]!r}") from None
        if not math.isfinite(value):
            too_large = any(ch.isdigit() for ch in raw)  # "1e999" and 400 digits are numbers, too large for one
            raise self.fail(f"{'a number too large' if too_large else 'expected a finite number'}, got {raw[:KEY_SHOWN]!r}")
        written = raw.strip()[:KEY_SHOWN]  # as the file has it: 99.9999999 shown as "100" was beside "at most 99"
        if positive and value <= 0:
            raise self.fail(f"must be more than 0, got {written}")
        if minimum is not None and value < minimum:
            raise self.fail(f"must be at least {minimum:g}, got {written}")
        if maximum is not None and value > maximum:
            raise self.fail(f"must be at most {maximum:g}, got {written}")
        return value

    def texts(self, min_items: int = 0, claims: bool = False) -> tuple[str, ...]:
        """At most MAX_TEXTS texts (each an `exemplar` with `claims`), counted before any is read: a list of
        aliases to one long text is small in the file and costly to read, check and embed. Every entry's
        problem is named at once: a list with two bad exemplars took two runs of `rubric validate`."""
        problems = _Problems()
        read = _Node.exemplar if claims else _Node.text
        values = tuple(value for _, value in problems.each(self.items(MAX_TEXTS), read))
        problems.raise_any()
        if len(values) < min_items:
            raise self.fail(f"needs at least {min_items} entries, has {len(values)}")
        return values

    def _child(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name


NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
YAML_KINDS = {INT_TAG: "the number", "tag:yaml.org,2002:float": "the number", "tag:yaml.org,2002:bool": "the yes/no value",
              "tag:yaml.org,2002:timestamp": "the date"}
"""What YAML read a plain value as, when it is not text (`yes` and `on` are yes/no values in YAML 1.1)."""
PLAIN_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")
"""The tags YAML gives a list or mapping written without one."""


def tag_shown(tag: str) -> str:
    """A YAML tag as the file wrote it: "!!python/object/apply" for YAML's own, "!foo" for a local one."""
    return "!!" + tag.removeprefix(YAML_TAG_PREFIX) if tag.startswith(YAML_TAG_PREFIX) else tag


YAML_TAG_PREFIX = "tag:yaml.org,2002:"
KEY_SHOWN = 40
"""Characters of a key an error shows: a key can be a whole line of any text, which the message need not repeat."""


def _short_key(name: str) -> str:
    """A key as an error names it: cut to KEY_SHOWN characters, its cut marked."""
    return name if len(name) <= KEY_SHOWN else name[:KEY_SHOWN] + "…"


QUOTED_OR_BLOCK = ("'", '"', "|", ">")
"""The styles of a scalar written as a text on purpose (quoted, or a block): never read as a number."""
MERGE_TAG = "tag:yaml.org,2002:merge"
"""The tag YAML gives a `<<` key: a merge key, which the loader does not follow (it reads nodes, not values)."""
MERGE_KEY_REFUSED = "a YAML merge key (<<) is not supported in a rubric: write the fields out (an alias, *name, works for one value)"
"""What a rubric is told where it holds a merge key."""


def _written_as_text(node: yaml.Node) -> bool:
    """Whether a scalar is a text on purpose: quoted, a block, or tagged `!!str` where YAML alone would
    have read something else (`weight: !!str 2`)."""
    if node.tag != STR_TAG:
        return False
    return node.style in QUOTED_OR_BLOCK or _IMPLICIT.resolve(yaml.ScalarNode, node.value, (True, False)) != STR_TAG


_AS_NUMBER = {"'": "remove the quotes", '"': "remove the quotes", "|": "write it on the key's line",
              ">": "write it on the key's line"}
"""How to write a number that a scalar's style makes a text (a plain one is one by its !!str tag)."""
_IMPLICIT = yaml.resolver.Resolver()
"""YAML's own reading of a plain scalar (int, float, bool, null or str), to tell a `!!str` tag from none."""


def _looks_numeric(text: str) -> bool:
    """Whether a quoted text would be a number without its quotes ("2", " 0.5 ")."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _unknown_field(name: str, allowed: Iterable[str]) -> str:
    """What a key no field has hears: the field it is likely a slip of ("exemplar" for "exemplars",
    "Description"), then every field allowed there."""
    from difflib import get_close_matches  # only a rubric with a mistake needs it

    fields = sorted(allowed)
    meant = get_close_matches(name.lower(), fields, n=1, cutoff=0.75) if isinstance(name, str) else []
    guess = f"; did you mean '{meant[0]}'?" if meant else ""
    return f"unknown field{guess} (allowed: {', '.join(fields)})"


class _Fields:
    """The keys of one mapping: required, optional, and a complaint about unknown ones."""

    def __init__(self, node: _Node, allowed: Iterable[str], problems: _Problems | None = None) -> None:
        """Raises RubricError for an unknown field, or with `problems` keeps it there and goes on."""
        self.owner = node
        pairs = node.pairs()
        self.values = {key.scalar(): value for key, value in pairs}
        keys = {key.scalar(): key for key, _ in pairs}  # an unknown field is said at its key's line, not its value's
        for name in sorted(set(self.values) - set(allowed)):
            error = keys[name].fail(MERGE_KEY_REFUSED if keys[name].node.tag == MERGE_TAG else _unknown_field(name, allowed))
            if problems is None:
                raise error
            problems.found.append(error)

    def required(self, name: str) -> _Node:
        if name not in self.values:
            raise self.owner.fail(f"missing required field '{name}'")
        return self.values[name]

    def optional(self, name: str) -> _Node | None:
        return self.values.get(name)

    def get(self, name: str, read: Callable[[_Node], Any], default: Any) -> Any:
        node = self.values.get(name)
        return default if node is None else read(node)


class _Problems:
    """Schema problems of one file gathered across its independent parts (each concept, misconception
    and depth, and the top-level fields), so `rubric validate` names them all in one run."""

    def __init__(self) -> None:
        self.found: list[RubricError] = []

    def read(self, action: Callable[[], Any], default: Any = None) -> Any:
        """What `action` reads, or `default` with its problem kept."""
        try:
            return action()
        except RubricError as exc:
            self.found.append(exc)
            return default

    def each(self, nodes: Iterable[Any], read: Callable[[Any], Any]) -> list[tuple[Any, Any]]:
        """(node, value) of each node (or (key, value) pair of nodes) read without a problem."""
        out = []
        for node in nodes:
            value = self.read(lambda node=node: read(node))
            if value is not None:
                out.append((node, value))
        return out

    def raise_any(self) -> None:
        """One RubricError for all problems found, in line order, the first as its message."""
        if not self.found:
            return
        located = sorted(dict.fromkeys(pair for e in self.found for pair in e.located),
                         key=lambda pair: (pair[0] is None, pair[0] or 0))
        raise RubricError(located[0][1], located[0][0], tuple(located))


def _stated_id(node: _Node) -> str | None:
    """The id a concept's mapping states, even when the concept has another problem: depths that
    name it then report their own problems, not an unknown concept."""
    try:
        return node.mapping()["id"].text()
    except (RubricError, KeyError):
        return None


def _matching_id(node: _Node, pattern: re.Pattern[str], kind: str) -> str:
    """`kind` names the value in the error: "rubric id 'X' must be ...", "depth name 'a/b' must be ..."."""
    value = node.text()
    problem = id_problem(value, pattern, kind)
    if problem is not None:
        raise node.fail(problem)
    return value


def _unique(nodes: list[_Node], ids: list[str], kind: str) -> None:
    """Each id said once; every repeat is named (a third concept `alpha` was named only after the second was mended)."""
    problems = _Problems()
    seen: set[str] = set()
    for node, ident in zip(nodes, ids):
        if ident in seen:
            problems.found.append(node.fail(f"duplicate {kind} id {ident!r}"))
        seen.add(ident)
    problems.raise_any()


def _names_apart(nodes: list[_Node], concepts: list[Concept]) -> None:
    """Each concept's name, in any case, is no other concept's name or id: an interviewer's `--override
    NAME=STATUS` and the card name a concept by it, and two alike marked one of them, unsaid."""
    taken: dict[str, tuple[str, str]] = {concept.id.casefold(): ("id", concept.id) for concept in concepts}
    for node, concept in zip(nodes, concepts):
        shown = _as_read(concept.name)
        what, whose = taken.get(shown, ("", concept.id))
        if whose != concept.id:
            raise node.fail(f"concept {concept.id!r} is named {concept.name!r}, the {what} of concept {whose!r}: give "
                            "each concept a name of its own (an interviewer's --override and the card name it)")
        taken[shown] = ("name", concept.id)


def _as_read(name: str) -> str:
    """A name as a reader tells it from others: in any case, without the characters no card or terminal
    shows (reading.is_hidden: zero-width spaces and joiners, soft hyphens, direction marks): "Mutabil\u200bity"."""
    return "".join(ch for ch in name if not is_hidden(ch)).casefold()


def _read_tags(node: _Node) -> tuple[str, ...]:
    """Tags are typed on the command line (`--tag asyncio`), so they follow the id rules and repeat nothing."""
    problems = _Problems()
    read = problems.each(node.items(), lambda item: _matching_id(item, TAG, "tag id"))  # every bad tag named,
    problems.read(lambda: _unique([item for item, _ in read], [tag for _, tag in read], "tag"))  # every repeat too
    problems.raise_any()
    return tuple(tag for _, tag in read)


def _read_concept(node: _Node, min_exemplars: int) -> Concept:
    """Every problem of the concept's fields at once (a RubricError holding them all)."""
    p = _Problems()
    f = _Fields(node, {"id", "name", "description", "exemplars", "contradictions", "covered", "partial"}, p)
    concept = Concept(
        id=p.read(lambda: _matching_id(f.required("id"), CONCEPT_ID, "concept id"), ""),
        name=p.read(lambda: f.required("name").claim(), ""),
        description=p.read(lambda: f.required("description").claim(), ""),
        exemplars=p.read(lambda: f.required("exemplars").texts(min_items=min_exemplars, claims=True), ()),
        contradictions=p.read(lambda: f.get("contradictions", lambda n: n.texts(claims=True), ()), ()),
        covered=p.read(lambda: f.get("covered", lambda n: n.number(0, 1), None)),
        partial=p.read(lambda: f.get("partial", lambda n: n.number(0, 1), None)),
    )
    p.raise_any()
    return concept


def _read_misconception(node: _Node) -> Misconception:
    """Every problem of the misconception's fields at once (a RubricError holding them all)."""
    p = _Problems()
    f = _Fields(node, {"id", "description", "correction", "penalty", "exemplars"}, p)
    misconception = Misconception(
        id=p.read(lambda: _matching_id(f.required("id"), CONCEPT_ID, "misconception id"), ""),
        description=p.read(lambda: f.required("description").claim(), ""),
        correction=p.read(lambda: f.required("correction").claim(), ""),
        penalty=p.read(lambda: f.required("penalty").number(0, 100), 0.0),
        exemplars=p.read(lambda: f.required("exemplars").texts(min_items=CONCEPT_EXEMPLARS, claims=True), ()),
    )
    p.raise_any()
    return misconception


def _read_follow_ups(node: _Node, concept_ids: set[str]) -> tuple[FollowUp, ...]:
    """Every follow-up's problems at once."""
    p = _Problems()
    follow_ups = tuple(f for _, f in p.each(node.items(), lambda item: _read_follow_up(item, concept_ids)))
    p.raise_any()
    return follow_ups


def _read_follow_up(node: _Node, concept_ids: set[str]) -> FollowUp:
    p = _Problems()
    f = _Fields(node, {"ask", "good_answer", "concepts"}, p)
    linked = f.optional("concepts")
    follow_up = FollowUp(ask=p.read(lambda: f.required("ask").claim(), ""),
                         good_answer=p.read(lambda: f.required("good_answer").claim(), ""),
                         concepts=() if linked is None else p.read(lambda: _known_ids(linked, concept_ids), ()))
    p.raise_any()
    return follow_up


def _known_ids(node: _Node, concept_ids: set[str]) -> tuple[str, ...]:
    """A list of concept ids, each defined in the rubric (every unknown one named)."""
    p = _Problems()
    ids = []
    for item in node.items():
        value = item.text()
        if value not in concept_ids:
            p.found.append(_unknown_concept(item, value, concept_ids))
        ids.append(value)
    p.raise_any()
    return tuple(ids)


def _unknown_concept(node: _Node, concept_id: str, concept_ids: set[str]) -> RubricError:
    if concept_id == "<<":  # a merge key read as a plain key (the tag is the key's; here only its value is at hand)
        return node.fail(MERGE_KEY_REFUSED)
    return node.fail(f"unknown concept {_short_key(concept_id)!r} (defined: {', '.join(sorted(concept_ids))})")


def _read_score_bands(node: _Node) -> tuple[ScoreBand, ...]:
    """Bands in increasing order from 0, so every score 0-100 falls in exactly one (every band's problems named)."""
    p = _Problems()
    bands = []
    items = node.items()
    for index, item in enumerate(items):
        f = _Fields(item, {"from", "label", "meaning"}, p)
        lower_node = p.read(lambda f=f: f.required("from"))
        lower = p.read(lambda lower_node=lower_node: lower_node.number(0, 99)) if lower_node is not None else None
        label = p.read(lambda f=f: f.required("label").text(), "")
        meaning = p.read(lambda f=f: f.required("meaning").text(), "")
        if lower is None:  # its problem is named; the next band is not the first for it
            continue
        if index == 0 and lower != 0:
            p.found.append(lower_node.fail(f"the first band must start at 0, got {lower:g}"))
        elif bands and lower <= bands[-1].lower:
            p.found.append(lower_node.fail(f"bands must increase: {lower:g} is not above {bands[-1].lower:g}"))
        bands.append(ScoreBand(lower, label, meaning))
    if not items:
        raise node.fail("needs at least one band")
    p.raise_any()
    return tuple(bands)


def _read_weights(node: _Node, concept_ids: set[str]) -> tuple[tuple[str, float], ...]:
    """A depth's concept weights (every unknown concept and bad weight named)."""
    p = _Problems()
    weights = []
    pairs = node.mapping()
    for concept_id, weight in pairs.items():
        if concept_id not in concept_ids:
            p.found.append(_unknown_concept(weight, concept_id, concept_ids))
            continue
        value = p.read(lambda weight=weight: weight.number(maximum=MAX_WEIGHT, positive=True))
        if value is not None:
            weights.append((concept_id, value))
    if not pairs:
        raise node.fail("a depth needs at least one concept")
    p.raise_any()
    return tuple(weights)


def _read_depth(name: str, node: _Node, concept_ids: set[str], derived: list[Concept] | None) -> Depth:
    """`derived` collects concepts made from the model answer when a reference rubric's depth lists none.
    Every problem of the depth's fields at once (a RubricError holding them all)."""
    p = _Problems()
    f = _Fields(node, {"question", "time_budget_minutes", "concepts", "model_answer", "follow_ups"}, p)
    weights_node = f.optional("concepts")
    if weights_node is None and derived is not None:
        weights = p.read(lambda: _derived_weights(f.required("model_answer"), derived), ())
    else:
        weights = p.read(lambda: _read_weights(f.required("concepts"), concept_ids), ())
    depth = Depth(
        name=name,
        question=p.read(lambda: f.required("question").claim(), ""),
        time_budget_minutes=p.read(lambda: f.required("time_budget_minutes").number(0.5, 120), 1.0),
        concepts=weights,
        model_answer=p.read(lambda: f.required("model_answer").claim(), ""),
        follow_ups=p.read(lambda: f.get("follow_ups", lambda n: _read_follow_ups(n, concept_ids), ()), ()),
    )
    p.raise_any()
    return depth


def _derived_weights(answer_node: _Node, derived: list[Concept]) -> tuple[tuple[str, float], ...]:
    """A reference rubric's depth with no concepts: its key points, made from the model answer, join `derived`."""
    if not has_key_point(answer_node.text()):
        raise answer_node.fail(NO_KEY_POINT)
    points = derive_concepts(answer_node.text(), first_number=len(derived) + 1, named=derived)
    derived += [concept for concept, _ in points]
    return tuple((concept.id, weight) for concept, weight in points)


def _read_role_swaps(node: _Node) -> tuple[tuple[str, str], ...]:
    """The role pairs; a term in two pairs is refused at the second: exchanged in one pass, a term goes to one
    partner only ([generator, coroutine] then [generator, task] turned every generator into a task, and the
    first pair was never read)."""
    paired: dict[str, tuple[str, str]] = {}

    def read(item: _Node) -> tuple[str, str]:
        terms = item.texts()
        if len(terms) != 2:
            raise item.fail("a role swap is a pair of two terms")
        if terms[0].strip().lower() == terms[1].strip().lower():
            raise item.fail(f"a role swap exchanges two different terms, not {terms[0]!r} with itself")
        for term in terms:
            if (earlier := paired.get(term.strip().lower())) is not None:
                raise item.fail(f"{term!r} is in the pair {list(earlier)} already; a term exchanges with one other term")
        paired.update({term.strip().lower(): (terms[0], terms[1]) for term in terms})
        return terms[0], terms[1]

    problems = _Problems()  # every bad pair named in one run
    pairs = [pair for _, pair in problems.each(node.items(), read)]
    problems.raise_any()
    return tuple(pairs)


def _read_word_count(node: _Node) -> int:
    """A count of words, 0-50: a whole number (4.5 words was read as 4, silently)."""
    value = node.number(0, 50)
    if not value.is_integer():
        raise node.fail(f"expected a whole number of words, got {node.scalar()[:KEY_SHOWN]!r}")
    return int(value)


def _read_reversed_answer(node: _Node) -> tuple[float, float]:
    items = node.items()
    if len(items) != 2:
        raise node.fail("reversed_answer is [ratio, points], e.g. [0.10, 3]")
    return items[0].number(0, 10), items[1].number(0, 100)


def _read_scoring(node: _Node, defaults: ScoringConfig) -> ScoringConfig:
    """The rubric's thresholds over `defaults` (every field's problem named)."""
    p = _Problems()
    f = _Fields(node, set(ScoringConfig.__dataclass_fields__), p)
    unit = lambda n: n.number(0, 1)  # noqa: E731 - a reader, named for the table below

    def get(name: str, read: Callable[[_Node], Any]) -> Any:
        default = getattr(defaults, name)
        return p.read(lambda: f.get(name, read, default), default)

    config = ScoringConfig(
        covered=get("covered", unit),
        partial=get("partial", unit),
        full=get("full", unit),
        margin=get("margin", unit),
        swap_margin=get("swap_margin", unit),
        reversed_answer=get("reversed_answer", _read_reversed_answer),
        negation_margin=get("negation_margin", unit),
        misconception=get("misconception", unit),
        question_echo=get("question_echo", unit),
        short_unit_words=get("short_unit_words", _read_word_count),
        short_unit_factor=get("short_unit_factor", unit),
        role_swaps=get("role_swaps", _read_role_swaps),
        lexical_weight=get("lexical_weight", unit),
        alignment_weight=get("alignment_weight", unit),
        alignment_floor=get("alignment_floor", lambda n: n.number(0, 0.99)),
    )
    p.raise_any()
    if not config.partial < config.covered <= config.full:
        culprit = f.optional("partial") if config.partial >= config.covered else f.optional("full")
        raise (culprit or f.optional("covered") or node).fail(
            f"thresholds must satisfy partial < covered <= full "
            f"(partial {config.partial:g}, covered {config.covered:g}, full {config.full:g})"
        )
    return config


def _check_concept_thresholds(nodes: list[_Node], concepts: list[Concept], config: ScoringConfig) -> None:
    """A concept's own covered/partial, merged with the rubric's, must still be in order."""
    for node, concept in zip(nodes, concepts):
        if concept.covered is None and concept.partial is None:
            continue
        partial, covered = concept.thresholds(config)
        if not partial < covered:
            fields = node.mapping()
            culprit = fields.get("partial") or fields["covered"]
            raise culprit.fail(f"thresholds must satisfy partial < covered (partial {partial:g}, covered {covered:g})")


def _read_flag(node: _Node) -> bool:
    value = node.scalar().lower()
    if value not in ("true", "false"):
        raise node.fail(f"expected true or false, got {node.scalar()!r}")
    return value == "true"


def _read_rubric(root: _Node, calibrated: bool = True) -> Rubric:
    """The rubric in `root`; a RubricError holds every problem of its concepts, misconceptions, depths and
    top-level fields (a wrong schema_version, or a file that is not a rubric, is the only problem said)."""
    if {"rubric", "grade_map"} <= set(root.mapping()) and "depths" not in root.mapping():
        raise root.fail("a calibration file written by `genco calibrate`, not a rubric: validate the rubric that "
                        "names it in its `calibration:` line")
    problems = _Problems()
    f = _Fields(root, {"schema_version", "id", "title", "tags", "depths", "concepts", "misconceptions", "scoring",
                       "calibration", "score_bands", "reference_mode"}, problems)
    version = problems.read(lambda: f.required("schema_version"))
    if version is not None and version.node.tag != INT_TAG:
        quoted = isinstance(version.node, yaml.ScalarNode) and version.node.style in ("'", '"')
        raise version.fail(f"expected the whole number {SCHEMA_VERSION}, got {version.scalar()[:KEY_SHOWN]!r}"
                           + (" (write it without quotes)" if quoted else ""))
    if version is not None and version.scalar() != str(SCHEMA_VERSION):
        raise version.fail(f"unsupported schema_version {version.scalar()[:KEY_SHOWN]!r} (this genco reads {SCHEMA_VERSION})")
    reference_mode = f.get("reference_mode", _read_flag, f.optional("concepts") is None)
    concept_nodes = problems.read(lambda: _concept_list(f, reference_mode))
    min_exemplars = REFERENCE_EXEMPLARS if reference_mode else CONCEPT_EXEMPLARS
    stated = [_stated_id(n) for n in concept_nodes] if concept_nodes is not None else [None]  # unreadable: ids unknown
    concept_nodes = concept_nodes or []
    unique = problems.read(lambda: _unique([n for n, i in zip(concept_nodes, stated) if i], list(filter(None, stated)),
                                           "concept") is None, False)
    concepts_read = problems.each(concept_nodes, lambda n: _read_concept(n, min_exemplars))
    concept_nodes = [n for n, _ in concepts_read]
    concepts = [c for _, c in concepts_read]
    problems.read(lambda: _names_apart(concept_nodes, concepts))
    # a depth naming a concept whose id is missing or said twice would only repeat that mistake
    concept_ids = set(filter(None, stated)) if unique and all(stated) else _ANY_ID
    misconception_nodes = problems.read(lambda: f.get("misconceptions", lambda n: n.items(MAX_ENTRIES), []), [])
    misconception_ids = [_stated_id(n) for n in misconception_nodes]  # a repeat is named beside another problem too
    problems.read(lambda: _unique([n for n, i in zip(misconception_nodes, misconception_ids) if i],
                                  list(filter(None, misconception_ids)), "misconception"))
    misconceptions_read = problems.each(misconception_nodes, _read_misconception)
    derived: list[Concept] | None = [] if reference_mode else None
    depths_node = problems.read(lambda: f.required("depths"))
    depth_pairs = problems.read(lambda: depths_node.pairs()) if depths_node is not None else None
    depths = tuple(d for _, d in problems.each(
        depth_pairs or [], lambda pair: _read_depth(_matching_id(pair[0], DEPTH_NAME, "depth name"), pair[1],
                                                    concept_ids, derived)))
    if depth_pairs == []:
        problems.found.append(depths_node.fail("a rubric needs at least one depth"))
    concepts += derived or []
    scoring = problems.read(lambda: f.get("scoring", lambda n: _read_scoring(n, _default_scoring(reference_mode)),
                                          _default_scoring(reference_mode)), _default_scoring(reference_mode))
    problems.read(lambda: _check_concept_thresholds(concept_nodes, concepts, scoring))
    rubric_id = problems.read(lambda: _matching_id(f.required("id"), RUBRIC_ID, "rubric id"), "")
    title = problems.read(lambda: f.required("title").claim(), "")
    tags = problems.read(lambda: f.get("tags", _read_tags, ()), ())
    score_bands = problems.read(lambda: f.get("score_bands", _read_score_bands, DEFAULT_SCORE_BANDS), DEFAULT_SCORE_BANDS)
    problems.raise_any()
    _unique(concept_nodes + [depths_node] * len(derived or []), [c.id for c in concepts], "concept")
    calibration = f.get("calibration", lambda n: _load_calibration(n, rubric_id, {c.id for c in concepts}) if calibrated
                        else _named_calibration(n), None)
    return Rubric(
        id=rubric_id,
        title=title,
        tags=tags,
        depths=depths,
        concepts=tuple(concepts),
        misconceptions=tuple(m for _, m in misconceptions_read),
        scoring=scoring,
        calibration=calibration,
        reference_mode=reference_mode,
        score_bands=score_bands,
    )


def _concept_list(f: _Fields, reference_mode: bool) -> list[_Node]:
    """The rubric's concept entries; a concept rubric needs one at least."""
    if reference_mode:
        return f.get("concepts", lambda n: n.items(MAX_ENTRIES), [])
    node = f.required("concepts")
    items = node.items(MAX_ENTRIES)
    if not items:
        raise node.fail("a rubric needs at least one concept")
    return items


class _AnyId(frozenset):
    """Concept ids that cannot be checked (one is missing or said twice): every id counts as known."""

    def __contains__(self, item: object) -> bool:
        return True


_ANY_ID = _AnyId()


def _named_calibration(ref: _Node) -> Calibration:
    """Only where the rubric's `calibration:` line points, its file unread: what `genco calibrate` rewrites,
    even when it is missing or damaged."""
    return Calibration(path=str(_calibration_path(ref)), scale=10.0, thresholds=(), grade_map=())


def _real_folder(rubric_file: Path) -> Path:
    """The folder of the file a rubric path leads to (through any symlink); the path's own folder when it
    cannot be followed (a loop), which then fails the inside check as before."""
    try:
        return rubric_file.resolve().parent
    except (OSError, RuntimeError):
        return rubric_file.parent


def _calibration_path(ref: _Node) -> Path:
    """The file a `calibration:` line names, relative to the rubric file and inside its folder: an absolute
    path or one that climbs out of the folder (`..`, a symlink leading elsewhere) would let a shared rubric
    read, and echo in its errors, any file of the person who loads it. A rubric reached by a symlink reads
    it beside the file the link leads to, where `genco calibrate` writes it: the same rubric must not read
    one calibration through a link and another (or none) as itself."""
    named = ref.text()
    if any(ord(c) < 32 for c in named):
        raise ref.fail("a file name cannot hold a control character (NUL, a line break); give a path in the "
                       "rubric's folder")
    folder = _real_folder(Path(ref.source))
    path = folder / named
    inside = not (named.startswith(("/", "\\", "~")) or Path(named).is_absolute() or ":" in named[:2])
    try:
        inside = inside and path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        raise ref.fail(f"{named[:KEY_SHOWN]!r} is outside the rubric's folder; give a path in it, relative to it")
    return path


_WITHOUT_CALIBRATION = ("delete the rubric's calibration: line to score it with the defaults (a copy of a "
                        "rubric under a new id needs its own calibration: genco calibrate writes one)")
"""How to go on: a rubric copied under a new id keeps a calibration: line that names the original's file."""


def _require_regular_file(path: Path) -> None:
    """A calibration is a file: a named pipe or device on the line would stall every command that scans the
    bank (read_text waits for a pipe's writer), as a rubric file would (the bank refuses those the same
    way). Raises InputError; a missing file or a folder is read_text's to say."""
    from ..answers import InputError

    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(f"{path}: not a regular file (a named pipe, device or socket)")


def _load_calibration(ref: _Node, rubric_id: str, concept_ids: set[str]) -> Calibration:
    """Follow the rubric's `calibration:` path (relative to the rubric file) and validate what it holds."""
    from ..answers import InputError, read_text

    path = _calibration_path(ref)
    try:
        _require_regular_file(path)
        text = read_text(str(path), limit=RUBRIC_LIMIT)
    except InputError as exc:
        raise ref.fail(f"cannot read calibration file {str(path)!r} ({str(exc).split(': ', 1)[-1]}); "
                       f"{_WITHOUT_CALIBRATION}") from None
    root = _compose(text, str(path))
    if root is None:
        raise RubricError(f"{path}: the calibration file is empty")
    return _read_calibration(_Node(str(path), root, ""), rubric_id, concept_ids)


def _read_calibration(node: _Node, rubric_id: str, concept_ids: set[str]) -> Calibration:
    f = _Fields(node, {"rubric", "scale", "thresholds", "grade_map", "fitted_on", "cross_validation"})
    named = f.required("rubric")
    if named.text() != rubric_id:
        raise named.fail(f"this calibration is for {named.text()!r}, not {rubric_id!r}; {_WITHOUT_CALIBRATION}")
    thresholds = []
    for concept_id, pair in f.required("thresholds").mapping().items():
        if concept_id not in concept_ids:
            raise pair.fail(f"unknown concept {_short_key(concept_id)!r} (defined: {', '.join(sorted(concept_ids))})")
        g = _Fields(pair, {"partial", "covered"})
        partial, covered = g.required("partial").number(0, 1), g.required("covered").number(0, 1)
        if not partial < covered:
            raise pair.fail(f"thresholds must satisfy partial < covered (partial {partial:g}, covered {covered:g})")
        thresholds.append((concept_id, partial, covered))
    points = []
    for item in f.required("grade_map").items():
        pair = item.items()
        if len(pair) != 2:
            raise item.fail("a grade_map point is [score, grade]")
        points.append((pair[0].number(0, 100), pair[1].number()))
    grade_map = f.required("grade_map")
    if not points:
        raise grade_map.fail("needs at least one [score, grade] point")
    if any(b[0] < a[0] or b[1] < a[1] for a, b in zip(points, points[1:])):
        raise grade_map.fail("points must be sorted by score with grades that never decrease")
    return Calibration(
        path=node.source,
        scale=f.required("scale").number(minimum=1),
        thresholds=tuple(thresholds),
        grade_map=tuple(points),
        fitted_on=f.get("fitted_on", _plain, {}),
        cross_validation=f.get("cross_validation", _plain, {}),
    )


def _plain(node: _Node) -> dict[str, Any]:
    """A free-form record (provenance, cross-validation figures): kept as plain data, shown, not interpreted.

    Only YAML's safe types are built, and what they refuse (a date 2026-13-45, a python/object tag,
    a list used as a key) is a RubricError naming the line, as any other field's mistake is.
    """
    try:
        data = yaml.constructor.SafeConstructor().construct_document(node.node)
    except yaml.MarkedYAMLError as exc:
        raise node.fail(f"cannot read this value: {exc.problem or exc.context}",
                        at=exc.problem_mark or exc.context_mark) from None
    except (ValueError, TypeError) as exc:
        raise node.fail(f"cannot read this value: {exc}") from None
    if not isinstance(data, dict):
        raise node.fail("expected a mapping (key: value lines)")
    return data


def _default_scoring(reference_mode: bool) -> ScoringConfig:
    return REFERENCE_SCORING if reference_mode else ScoringConfig()


_UNCLOSED = {"while scanning a quoted scalar": "a quoted text", "while parsing a flow sequence": "a [ list",
             "while parsing a flow mapping": "a { mapping"}
"""What YAML was reading when it found a problem on a later line: a quote or bracket left open, which
reading on took to that line (the end of the file, for a quote). The error names the line that opened it."""


def _unclosed_quote_line(text: str, before: int) -> int | None:
    """The line (0-based) of a double quote left open that YAML stopped on at line `before`: one that read on
    over line breaks (a quoted text spanning lines, its first line's quotes unpaired) and ended on the
    error's line, where the quote it took for the closing one left the rest of that line out of place
    ("did not find expected key"), far from the line to mend. None when no quoted text did so: quotes
    in a block text (`>-`) or a comment are no YAML quotes, a quoted text that ends on an earlier line
    was closed, and an error elsewhere has its own cause."""
    try:
        tokens = list(_tokens_until_error(text))
    except RecursionError:
        return None
    lines = text.splitlines()
    for token in reversed(tokens):
        start, end = token.start_mark.line, token.end_mark.line
        if end > start and end == before and lines[start].replace('\\"', "").count('"') % 2:
            return start
    return None


def _tokens_until_error(text: str) -> Iterator[yaml.ScalarToken]:
    """The double-quoted scalars YAML read in `text` before an error stopped it."""
    try:
        for token in yaml.scan(text, Loader=SAFE_LOADER):
            if isinstance(token, yaml.ScalarToken) and token.style == '"':
                yield token
    except yaml.YAMLError:
        return


def _colon_slip(text: str, line: int) -> bool:
    """Whether YAML refused a line for a second ": " on it ("title: Python: lists vs tuples"), not for
    its indentation, which gives the same complaint about a line with one."""
    lines = text.splitlines()
    return line < len(lines) and lines[line].count(": ") + lines[line].rstrip().endswith(":") >= 2


_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
"""Characters YAML 1.1 reads as line breaks and an editor shows as none: one in a comment ended it, and the text
after it was read as YAML (an error two lines further on, by YAML's count of lines)."""


def _compose(text: str, source: str) -> yaml.Node | None:
    """The YAML node tree of a file (None when it is empty); bad YAML, or YAML too deep or too large
    to read (MAX_NESTING, MAX_NODES), is a RubricError naming its line. A raw NEL, line or paragraph
    separator (_YAML_ONLY_BREAK) is refused at its line, as the editor counts lines."""
    if hidden := _YAML_ONLY_BREAK.search(text):
        raise RubricError(f"{source}:{line_and_column(text, hidden.start())[0]}: holds U+{ord(hidden.group()):04X}, "
                          "which YAML reads as a line break though an editor shows none; replace it with a space")
    try:
        if len(text) >= 2 * MAX_NODES:  # room for that many values ("[1,1,...": two characters each)
            _refuse_many_values(text, source)
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except RecursionError:  # PyYAML's own loader (no libyaml) composes recursively
        raise RubricError(f"{source}: invalid YAML: lists or mappings nested more than {MAX_NESTING} levels deep") \
            from None
    except yaml.reader.ReaderError as exc:  # a raw control character: refused before any line is parsed
        line = line_and_column(text, exc.position)[0]
        # libyaml gives the character's code, PyYAML's own reader the character
        raise RubricError(f"{source}:{line}: invalid YAML: {control_character_problem(exc.character)}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if problem.startswith("mapping values are not allowed") and mark and _colon_slip(text, mark.line):
            problem += f" ({COLON_HINT})"
        if mark and text[mark.index:mark.index + 1] == "\t" and "tab" not in problem:
            problem += " (a tab: YAML indents with spaces only)"
        if problem.startswith("but found another document"):
            problem = "a second YAML document starts here (---): a rubric file holds one"
        opened, start = _UNCLOSED.get(getattr(exc, "context", None) or ""), getattr(exc, "context_mark", None)
        if opened and mark and start and start.line < mark.line:  # the line that opened it is the one to mend
            line, problem = f"{start.line + 1}:", f"{opened} opened on this line is never closed ({problem} on line " \
                                                  f"{mark.line + 1})"
        elif mark and (unclosed := _unclosed_quote_line(text, mark.line)) is not None:
            problem += f" (line {unclosed + 1} opens a quote that it does not close)"
        raise RubricError(f"{source}:{line} invalid YAML: {problem}") from None
    if root is not None:
        _refuse_oversized(root, source)
    return root


def _refuse_many_values(text: str, source: str) -> None:
    """Refuse a file of more than MAX_NODES values written out, at the line of the first past the limit,
    counted as the YAML is parsed, before any node is built: a 4 MB file of 300,000 keys took 19 s to
    build and measure (_refuse_oversized), and was blamed on aliases it did not have."""
    values = (event for event in yaml.parse(text, Loader=SAFE_LOADER)
              if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)))
    past = next(islice(values, MAX_NODES, None), None)
    if past is not None:
        raise _too_large(source, past, f"more than {MAX_NODES:,} values (a rubric has a few hundred)")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _measure(root: yaml.Node) -> tuple[dict[int, int], dict[int, int]]:
    """By node id, the levels of lists and mappings each node holds, itself included (a scalar's is 0), and
    how many values it stands for with its aliases followed (counted up to MAX_NODES + 1).

    Walked with a stack, not by recursion, since the point is a file too deep to recurse into; each node
    is measured once, aliases sharing nodes, and an alias back to an enclosing node (`&a [*a]`) adds nothing.
    """
    heights: dict[int, int] = {}
    sizes: dict[int, int] = {}
    repeats: dict[int, Counter[int]] = {}  # an open node's children, by id: how often each occurs (aliases)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, measured = stack.pop()
        key = id(node)
        if measured:
            counts = repeats.pop(key)
            below = max((heights.get(child, 0) for child in counts), default=0)
            heights[key] = 0 if isinstance(node, yaml.ScalarNode) else 1 + below
            sizes[key] = min(MAX_NODES + 1, 1 + sum(sizes.get(child, 0) * n for child, n in counts.items()))
        elif key not in heights and key not in repeats:
            children = _children(node)
            repeats[key] = Counter(map(id, children))
            stack.append((node, True))
            stack.extend((child, False) for child in dict(zip(map(id, children), children)).values())
    return heights, sizes


def _refuse_oversized(root: yaml.Node, source: str) -> None:
    """Refuse, before any reader walks it, a file nested deeper than MAX_NESTING or standing for more than
    MAX_NODES values once its aliases are followed (a few bytes of `*a` each), at the line past the limit."""
    heights, sizes = _measure(root)
    if heights[id(root)] > MAX_NESTING:
        node = root
        for _ in range(MAX_NESTING):
            node = max(_children(node), key=lambda child: heights.get(id(child), 0))
        raise _too_large(source, node, f"lists or mappings nested more than {MAX_NESTING} levels deep "
                                       "(a rubric needs fewer than ten)")
    if sizes[id(root)] > MAX_NODES:
        node = root
        while (larger := [child for child in _children(node) if sizes.get(id(child), 0) > MAX_NODES]):
            node = larger[0]
        raise _too_large(source, node, f"more than {MAX_NODES:,} values once its aliases (*name) are repeated "
                                       "(a rubric has a few hundred)")


def _too_large(source: str, node: yaml.Node | yaml.Event, problem: str) -> RubricError:
    line = node.start_mark.line + 1
    return RubricError(f"{source}:{line}: {problem}", line)


def parse_rubric(text: str, source: str, calibrated: bool = True) -> Rubric:
    """Parse and validate rubric YAML; raise RubricError naming file, line and field. With `calibrated`
    False, the calibration file its `calibration:` line names is not read (only its path is kept)."""
    root = _compose(text, source)
    if root is None:
        raise RubricError(f"{source}: the file is empty")
    _refuse_placeholders(root, source)
    rubric = _read_rubric(_Node(source, root, ""), calibrated)
    return Rubric(**{**rubric.__dict__, "path": source})


def _placeholders(node: yaml.Node, path: str = "", seen: set[int] | None = None) -> Iterator[tuple[int, str]]:
    """(line, field path) of every value still starting with the skeleton's placeholder.

    Each node is visited once: YAML aliases share nodes, and following every alias again would let
    a small file of nested aliases (an alias bomb) take exponential time.
    """
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if str(node.value).strip().startswith(PLACEHOLDER):
            block = node.style in ("|", ">")  # the text starts on the line after the indicator
            yield node.start_mark.line + 1 + block, path
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _placeholders(value, f"{path}.{key.value}" if path else str(key.value), seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _placeholders(item, f"{path}[{index}]", seen)


def _refuse_placeholders(root: yaml.Node, source: str) -> None:
    """Name every placeholder left at once, so filling in a skeleton is not one run per TODO."""
    left = list(_placeholders(root))
    if left:
        where = ", ".join(f"{path} (line {line})" for line, path in left)
        raise RubricError(f"{source}:{left[0][0]}: {len(left)} placeholder(s) from `genco rubric new` "
                          f"still to fill: {where}")


def load_rubric(path: str | Path, calibrated: bool = True) -> Rubric:
    """Read one rubric file (parse_rubric); unreadable files become RubricError too."""
    from ..answers import InputError, read_text

    path = Path(path)
    try:
        text = read_text(str(path), limit=RUBRIC_LIMIT)  # bounded: /dev/zero or a named pipe must not hang
    except InputError as exc:
        raise UnreadableRubric(str(exc)) from None
    return parse_rubric(text, str(path), calibrated)


def reference_rubric_yaml(rubric_id: str, question: str, model_answer: str, title: str | None = None,
                          depth: str = "answer", minutes: float = 3) -> str:
    """A reference-answer rubric as YAML, its derived key points written out for an interviewer to refine.

    The text is parsed back before it is returned, so what is written always loads.
    """
    points = derive_concepts(model_answer)
    config = REFERENCE_SCORING
    document = {
        "schema_version": SCHEMA_VERSION,
        "id": rubric_id,
        "title": title or point_name(question, max_words=10),
        "tags": ["reference"],
        "reference_mode": True,
        "depths": {depth: {
            "question": question.strip(),
            "time_budget_minutes": minutes,
            "model_answer": model_answer.strip(),
            "concepts": {concept.id: weight for concept, weight in points},
        }},
        "concepts": [{"id": c.id, "name": c.name, "description": c.description, "exemplars": list(c.exemplars)}
                     for c, _ in points],
        "scoring": {name: getattr(config, name) for name in ("partial", "covered", "full", "lexical_weight",
                                                             "alignment_weight", "alignment_floor")}
                   | {"role_swaps": []},
    }
    header = ("# Reference-answer rubric written by `genco rubric from-answer`.\n"
              "# Each key point of the model answer became a concept (weight = its content words).\n"
              "# Refine it: rename points, add phrasings to `exemplars`, add `contradictions`,\n"
              "# change weights, or add `role_swaps` pairs whose exchange reverses a claim.\n")
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    parse_rubric(text, f"<{rubric_id}>")
    return text
