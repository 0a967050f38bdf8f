"""The question bank: rubrics found on the search path ($GENCO_RUBRICS, then the shipped ones).

Every command asks the bank for its rubrics, often several times (a report looks one up per
question), so a scan of the search path is kept and reused for as long as no rubric file on it
has changed (name, size and modification time): a long-lived front end re-reads a rubric only
after someone edits it.
"""

from __future__ import annotations

import difflib
import os
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from stat import S_ISREG

import yaml

from ..datafile import SAFE_LOADER
from ..errors import quoted
from ..text.escapes import clean
from . import scan_cache
from .loader import load_rubric
from .model import RUBRIC_LIMIT, RUBRICS_ENV, Rubric, RubricError, UnknownName


def rubric_dirs() -> list[Path]:
    """Directories searched for rubrics: $GENCO_RUBRICS (os.pathsep-separated), then the shipped ones;
    a folder named twice (or under two spellings of its path) is searched once, or each of its
    rubrics would be reported as sharing its id with itself."""
    extra = [Path(p) for p in os.environ.get(RUBRICS_ENV, "").split(os.pathsep) if p]
    seen: set[Path] = set()
    unique = []
    for folder in [*extra, *shipped_dirs()]:
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(folder)
    return unique


def shipped_dirs() -> list[Path]:
    """Where the shipped rubrics are on disk.

    The wheel maps the top-level rubrics/ to genco_interview.rubrics, a package without an
    __init__.py: importlib.resources hands such a namespace package back as a MultiplexedPath,
    whose str() is not a path, so each directory it spans is taken from its entries instead.
    A source tree without the mapping has the folder beside the package.
    """
    try:
        found = resources.files("genco_interview.rubrics")
    except ModuleNotFoundError:
        return [Path(__file__).resolve().parents[2] / "rubrics"]
    return _directories_of(found)


def _directories_of(tree: Traversable) -> list[Path]:
    """The real directories behind a resources tree: itself when it is one, else its entries' parents."""
    if isinstance(tree, Path):
        return [tree]
    parents = dict.fromkeys(Path(str(entry)).parent for entry in tree.iterdir() if isinstance(entry, Path))
    return list(parents)


_told: set[str] = set()


def forget_notices() -> None:
    """A new command tells its notices afresh (tests run many commands in one process)."""
    _told.clear()


def _notice_once(message: str) -> None:
    """One line on stderr per problem and command: a command may search the rubrics several times."""
    if message not in _told:
        _told.add(message)
        print(f"genco: {clean(message)}", file=sys.stderr, flush=True)  # it names what a user set: GENCO_RUBRICS


@dataclass(frozen=True)
class Scan:
    """What one pass over the search path found: the rubrics that load (first definition of an id
    wins, sorted by id), the user's rubric files that do not, and what the user must be told."""

    rubrics: list[Rubric]
    broken: list[tuple[Path, RubricError]]
    notices: list[str]
    replacing: dict[str, str]
    """Rubric id -> the notice that a user's rubric replaces the shipped one of that id: told by a
    command that uses that question or the whole bank, not by every command."""
    shipped: frozenset[str]
    """The ids of the shipped rubrics, replaced or not."""


_last: tuple[tuple, Scan] | None = None
"""The latest scan and the state of the files it read (see _search_state)."""


def misnamed_rubric_files(directory: Path) -> list[Path]:
    """The files of a folder that look like rubrics but that the search path does not read: YAML named
    otherwise than `*.yaml` (`x.yml`, `x.YAML`), not hidden ones. Empty for a path that is no folder."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.suffix.lower() in RUBRIC_SUFFIXES
                  and path.suffix != ".yaml" and not path.name.startswith(".") and path.is_file())


def _id_in(path: Path) -> str:
    """The id a rubric file gives itself (a top-level `id:` line in its first 8 KB, not parsed as YAML: this only
    names a file the search path skips, and must not read a huge or hostile one whole), else its name without
    the extension."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192).decode("utf-8", "replace")
    except OSError:
        head = ""
    found = _ID_LINE.search(head)
    return (found.group(1) if found else path.stem).lower()


_ID_LINE = re.compile(r"^id:[ \t]*[\"']?([A-Za-z0-9-]+)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)
"""A rubric's top-level id line: `id: my-question`, quoted or not, a comment after it."""


def rubric_files(directory: Path) -> list[Path]:
    """The rubric files of a folder, by name: its `*.yaml` but not hidden ones, as a shell's glob would
    give them (an editor's lock file `.#x.yaml`, a macOS `._x.yaml` were read as broken rubrics), and
    not a folder named like one. Empty for a path that is no folder."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.glob("*.yaml") if not path.name.startswith(".") and not path.is_dir())


def _search_state(directories: list[Path]) -> tuple:
    """Name, size and modification time of every rubric and calibration file on the search path:
    when none of them changed, the last scan still holds."""
    state = []
    for directory in directories:
        files = [*rubric_files(directory), *sorted(directory.glob("calibration/*.yaml"))]  # an editor's lock is none
        stats = []
        for file in files:
            try:
                info = file.stat()
            except OSError:
                continue
            stats.append((file.name, info.st_size, info.st_mtime_ns))
        state.append((str(directory), tuple(stats)))
    return tuple(state)


def _scan() -> Scan:
    """The search path's rubrics, read again only when a file on it changed.

    A user's unfinished rubric (a fresh `rubric new` skeleton is one) must not stop every command
    for every other question, so it is set aside with a warning; a shipped rubric that does not
    load is a broken install and still fails. A user's rubric with a shipped rubric's id wins,
    and says so (once per command, scanned afresh or not) where the command uses it: `find` for
    its question, `discover` for the whole bank.
    """
    global _last
    directories = rubric_dirs()
    shipped = set(shipped_dirs())
    for directory in directories:
        if directory not in shipped:
            _check_user_dir(directory)
    state = _search_state(directories)
    if _last is None or _last[0] != state:
        _last = (state, _kept_or_read(state, directories, shipped))
    for notice in _last[1].notices:
        _notice_once(notice)
    return _last[1]


def _kept_or_read(state: tuple, directories: list[Path], shipped: set[Path]) -> Scan:
    """The scan kept on disk for this state of the search path (scan_cache), else a fresh one, kept
    for the next command when every rubric on the path loaded."""
    key = scan_cache.scan_key(state)
    kept = scan_cache.read(key)
    if isinstance(kept, Scan):
        return kept
    scan = _read_all(directories, shipped)
    if not scan.broken:
        scan_cache.write(key, scan, [Path(r.calibration.path) for r in scan.rubrics if r.calibration is not None])
    return scan


def _read_all(directories: list[Path], shipped: set[Path]) -> Scan:
    found: dict[str, Rubric] = {}
    broken: list[tuple[Path, RubricError]] = []
    notices: list[str] = []
    replacing: dict[str, str] = {}
    shipped_ids: set[str] = set()
    for directory in directories:
        for path in rubric_files(directory):
            try:
                if not path.is_file():  # a named pipe would hold every command until its read gives up
                    raise RubricError(f"{path}: not a regular file")
                rubric = load_rubric(path)
            except RubricError as exc:
                if directory in shipped:
                    raise
                broken.append((path, exc))
                continue
            if directory in shipped:
                shipped_ids.add(rubric.id)
            if rubric.id in found:
                first = found[rubric.id].path
                if directory in shipped:
                    replacing[rubric.id] = f"{first} replaces the shipped rubric {rubric.id!r}"
                elif _named_after_its_id(path, rubric.id) and not _named_after_its_id(first, rubric.id) \
                        and Path(first).parent == path.parent:
                    notices.append(f"{first} and {path} both have the id {rubric.id!r}; using {path}, named after it")
                    found[rubric.id] = rubric
                else:
                    notices.append(f"{first} and {path} both have the id {rubric.id!r}; using {first}")
            found.setdefault(rubric.id, rubric)
    return Scan([found[k] for k in sorted(found)], broken, notices, replacing, frozenset(shipped_ids))


def _named_after_its_id(path: str | Path, rubric_id: str) -> bool:
    """Whether a rubric's file is `<id>.yaml`: of two files of one folder with one id, that one is meant
    (the other is most often a copy made to try a change)."""
    return Path(path).stem == rubric_id


def _check_user_dir(directory: Path) -> None:
    """A mistyped $GENCO_RUBRICS entry must not look like a rubric that silently vanished."""
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        _notice_once(f"{RUBRICS_ENV} names {directory}, which {what}; no rubrics are read from it")


def discover() -> list[Rubric]:
    """All rubrics that load, first definition of an id wins, sorted by id (see _scan)."""
    scan = _scan()
    _warn_skipped(scan.broken)
    for notice in scan.replacing.values():
        _notice_once(notice)
    return scan.rubrics


def askable() -> list[Rubric]:
    """The questions a command may ask (discover), without one whose id a user's rubric file that does not
    load takes over (find raises that file's error for it): `rubric list` listed the shipped question beside
    the warning, `next` suggested it, and practising it failed."""
    rubrics, broken = discover(), _scan().broken
    return [r for r in rubrics if (failed := _broken_for(r.id, broken)) is None or _loads_first(r, failed[0])]


def is_shipped(rubric_id: str) -> bool:
    """Whether genco ships a rubric with this id: a rubric of the user's with it replaces that question."""
    return rubric_id in _scan().shipped


def _warn_skipped(broken: list[tuple[Path, RubricError]]) -> None:
    """One short line per rubric set aside, on every command that reads the bank: a fresh skeleton's
    error names some twenty placeholders, which `rubric validate` lists and this line points to."""
    for path, error in broken:
        said = str(error)
        if len(said) > SKIPPED_SAID:
            said = f"{said[:SKIPPED_SAID].rstrip()}… (genco rubric validate {path} lists every problem)"
        _notice_once(f"skipping a rubric that does not load: {said}")


SKIPPED_SAID = 160
"""Characters of a set-aside rubric's error the warning shows."""


def _claimed_id(path: Path) -> str | None:
    """The id a rubric file that does not load says it has, if its top-level `id:` line can tell.

    Only the YAML nodes are read, never built into values: building `when: 2026-13-45` raises a
    ValueError, and this is asked of files already known to be broken; one that is not a regular
    file (a named pipe would wait for a writer for ever) says nothing, nor one past RUBRIC_LIMIT, which
    the loader refuses unread (a 500 MB one took `rubric list` 35 s and 1 GB). Each file is read once
    while it is unchanged: `rubric list` asks of every broken file for every question.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    if not S_ISREG(info.st_mode) or info.st_size > RUBRIC_LIMIT:
        return None
    return _claimed_id_of(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=256)
def _claimed_id_of(path: Path, mtime_ns: int, size: int) -> str | None:
    """_claimed_id's reading of one version of a file (`mtime_ns` and `size` tell versions apart): the
    parser's events up to the top-level mapping's `id` value, no node built (a 4 MB file took 4 s to
    build whole), so a file broken further down still says its id."""
    try:
        return _top_level_id(yaml.parse(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):  # PyYAML's own loader recurses
        return None


def _top_level_id(events: Iterable[yaml.Event]) -> str | None:
    """The scalar value of the `id` key of a document's top-level mapping, from its parser events; None
    when the document is no mapping, has no such key, or gives it a list, a mapping or an alias."""
    depth, is_key, key_is_id = 0, True, False  # is_key: the next item of the top-level mapping is a key
    for event in events:
        opens = isinstance(event, yaml.CollectionStartEvent)
        if opens and depth == 0 and not isinstance(event, yaml.MappingStartEvent):
            return None
        if depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            if not is_key and key_is_id:
                return str(event.value) if isinstance(event, yaml.ScalarEvent) else None
            key_is_id = is_key and isinstance(event, yaml.ScalarEvent) and event.value == "id"
            is_key = not is_key
        depth += opens
        depth -= isinstance(event, yaml.CollectionEndEvent)
        if depth == 0 and isinstance(event, yaml.CollectionEndEvent):
            return None
    return None


def _broken_for(question: str, broken: list[tuple[Path, RubricError]]) -> tuple[Path, RubricError] | None:
    """The rubric file that does not load and that `question` names: by its file name or the id it claims."""
    return next(((path, error) for path, error in broken if question in (path.stem, path.name, _claimed_id(path))), None)


def broken_file(question: str) -> Path | None:
    """The file of the rubric `question` names when it does not load (its calibration file gone, say),
    found as `find` finds it for its error; None when it loads or no file claims it."""
    failed = _broken_for(question, _scan().broken)
    return failed[0] if failed is not None else None


def with_tag(rubrics: list[Rubric], tag: str | None) -> list[Rubric]:
    """The rubrics carrying `tag` (all of them for None), in the order given; tags are lower-case, so
    `ASYNCIO` finds `asyncio`."""
    return [r for r in rubrics if tag is None or tag.strip().lower() in r.tags]


def tagged(rubrics: list[Rubric], tag: str | None) -> list[Rubric]:
    """Like with_tag, but a tag no rubric carries (a typo, most often) raises UnknownName listing the tags."""
    found = with_tag(rubrics, tag)
    if rubrics and not found:
        names = sorted({t for r in rubrics for t in r.tags})
        raise UnknownName(f"no question has tag {quoted(tag)}; tags: {', '.join(names) or 'none'}")
    return found


def pick_random(rubrics: list[Rubric], tag: str | None, depth: str | None, rng: random.Random) -> tuple[Rubric, str]:
    """A random question from the bank (optionally one tag), and a random depth unless one is asked for.

    Only rubrics that have the requested depth are candidates, so `--random --depth deep` never
    lands on a question without a deep version. The RNG is a parameter so a seed reproduces a pick.
    Raises UnknownName listing the valid depths (of the tagged questions), or the tags when none has the tag.
    """
    tagged = with_tag(rubrics, tag)
    pool = [r for r in tagged if depth is None or depth in r.depth_names]
    if not pool:
        wanted = " and ".join(filter(None, [tag is not None and f"tag {quoted(tag)}",
                                            depth is not None and f"depth {quoted(depth)}"]))
        if tagged:  # the tag is fine (or none was asked): the depth is what is missing
            kind, names = "depths", list(dict.fromkeys(d for r in tagged for d in r.depth_names))
        else:
            kind, names = "tags", sorted({t for r in rubrics for t in r.tags})
        raise UnknownName(f"no question has {wanted or 'a depth'}; {kind}: {', '.join(names) or 'none'}")
    rubric = rng.choice(pool)
    return rubric, depth if depth is not None else rng.choice(rubric.depth_names)


DEFAULT_QUESTION = "coroutine-vs-generator"
"""The question asked when none is named: the one genco began from. A rubric folder of a user's own
(GENCO_RUBRICS) adds questions; one of theirs that sorted first by id was asked instead, and its
scores went into their learner history without a word. The first by id when no rubric has this id."""


def find(question: str | None) -> Rubric:
    """Resolve a QUESTION argument (id, or None for DEFAULT_QUESTION) with a helpful error.

    A question whose rubric file does not load reports that file's error, not "unknown question";
    so does the default question, asked for by naming none, when a user's file of its id does not load
    (it replaces the shipped one in every command, which would otherwise be asked without a word).
    """
    scan = _scan()
    rubrics, broken = scan.rubrics, scan.broken
    wanted = question.lower() if question is not None else _default_id(rubrics, broken)  # ids are lower case
    failed = _broken_for(wanted, broken) if wanted is not None else None
    if failed is not None and not _loads_first(next((r for r in rubrics if r.id == wanted), None), failed[0]):
        raise failed[1]
    _warn_skipped(broken)
    if not rubrics:
        raise UnknownName("no rubrics found (searched: " + ", ".join(map(str, rubric_dirs())) + ")")
    found = _with_id(scan, wanted) if wanted is not None else None
    if found is not None:
        return found
    raise unknown_question(question, [r.id for r in rubrics])


RUBRIC_SUFFIXES = (".yaml", ".yml")
"""The endings of a rubric file's name, any case (the search path reads only `*.yaml`: misnamed_rubric_files)."""


def names_a_rubric_file(value: str) -> bool:
    """Whether a path names a rubric file by its ending (RUBRIC_SUFFIXES)."""
    return value.lower().endswith(RUBRIC_SUFFIXES)


def names_a_file(value: str) -> bool:
    """Whether a question given by name is a rubric file's path (a name ending in .yaml or .yml, or holding a
    slash) rather than an id, which holds neither (RUBRIC_ID)."""
    return names_a_rubric_file(value) or "/" in value or os.sep in value


def _loads_first(loaded: Rubric | None, broken: Path) -> bool:
    """Whether `loaded` is the rubric its id means although the file `broken`, which does not load,
    claims that id too: it comes first on the search path (the first definition of an id wins, as
    `rubric list` shows), and `broken` is not the file named after the id beside it (that one is meant)."""
    if loaded is None:
        return False
    if Path(loaded.path).parent.resolve() == broken.parent.resolve() and _named_after_its_id(broken, loaded.id):
        return False
    return _search_position(Path(loaded.path)) < _search_position(broken)


def _search_position(path: Path) -> tuple[int, str]:
    """Where a rubric file sits on the search path: its folder's place, then its name."""
    folders = [folder.resolve() for folder in rubric_dirs()]
    parent = path.parent.resolve()
    return folders.index(parent) if parent in folders else len(folders), path.name


def _default_id(rubrics: list[Rubric], broken: list[tuple[Path, RubricError]]) -> str | None:
    """DEFAULT_QUESTION when a rubric (or a file that does not load) has that id, else the first by id."""
    if any(r.id == DEFAULT_QUESTION for r in rubrics) or _broken_for(DEFAULT_QUESTION, broken):
        return DEFAULT_QUESTION
    return rubrics[0].id if rubrics else None


def practice_order(rubrics: Sequence[Rubric]) -> list[Rubric]:
    """The rubrics as practice meets them: DEFAULT_QUESTION first, as `find` asks it when none is named,
    then the rest by id; a plan for an empty history starts where `genco practice` does."""
    return sorted(rubrics, key=lambda rubric: rubric.id != DEFAULT_QUESTION)


def find_kept(question: str) -> Rubric | None:
    """The rubric a kept attempt's question names now, to show the attempt again beside it; None when
    none on the search path has that id any more or the user's rubric of that id does not load (a YAML
    error, say): the kept card stands on its own then. A file that does not load is said as every
    command that reads the bank says it, in one line; a shipped rubric of the same id (the one the
    broken file replaced) is used, as it would be with that file gone."""
    scan = _scan()
    _warn_skipped(scan.broken)
    return _with_id(scan, question)


def _with_id(scan: Scan, question: str) -> Rubric | None:
    """The scan's rubric of id `question`, if any; when a user's rubric replaces the shipped one of that
    id, the command says so (once)."""
    found = next((r for r in scan.rubrics if r.id == question), None)
    if found is not None and found.id in scan.replacing:
        _notice_once(scan.replacing[found.id])
    return found


_PATH_PARTS = re.compile(r"[/\\]")
"""What separates a path's folders, on any system (a path typed on Windows names a file there too)."""


def _as_a_path(question: str) -> str:
    """A question given as a path, said as one: whether there is such a file (here, or by its name on the search
    path), quoted as typed, or by its last part when too long to quote whole (a path cut to its first characters,
    then shown without its folders, read as a mistyped id: 'coroutine-vs-ge…')."""
    shown = quoted(question) if len(question) <= 40 else quoted(_PATH_PARTS.split(question.rstrip("/\\"))[-1] or question)
    there = any(_names_a_file(path) for path in (question, *(folder / question for folder in rubric_dirs())))
    if not there and os.path.isdir(question):
        return f"{shown} is a folder, not a rubric file (*.yaml)"
    if not there:
        return f"{shown} names a file, and there is no such file"
    return f"{shown} is a rubric file's path" if names_a_rubric_file(question) else \
        f"{shown} is a file's path, and not a rubric's (*.yaml)"  # "../../etc/passwd" is no rubric


def _names_a_file(path: str | os.PathLike[str]) -> bool:
    """Whether something other than a folder is at `path`: a pipe named like a rubric is there too, and
    was said to be no such file."""
    return os.path.exists(path) and not os.path.isdir(path)


def unknown_question(question: str, valid: Sequence[str]) -> UnknownName:
    """The usage error for a question id no rubric on the search path has: the id it was probably
    meant to be (a typo, as click does for a command), else the ones that exist. A file named after it but not
    `*.yaml` on the search path, or a file's name given for the id, is said: an author who wrote `x.yml`, or
    typed `genco score x.yaml`, was told only the ids that exist."""
    misnamed = next((path for folder in rubric_dirs() for path in misnamed_rubric_files(folder)
                     if _id_in(path) == question.lower()), None)
    if misnamed is not None:
        return UnknownName(f"unknown question {quoted(question)}: the rubric search path reads only *.yaml files, "
                           f"so {misnamed}, which holds it, is not read; rename it {misnamed.stem}.yaml")
    if names_a_file(question) or _names_a_file(question):  # "notes.txt" here: no id has a dot
        return UnknownName(f"unknown question: {_as_a_path(question)}; give a question's id (`practice`, `score`, "
                           "`grade` and `rubric show` also read a rubric file by its path)")
    close = difflib.get_close_matches(question.lower(), valid, n=1)
    if close:
        return UnknownName(f"unknown question {quoted(question)}; did you mean {close[0]!r}? (`genco rubric list` lists all)")
    return UnknownName(f"unknown question {quoted(question)}; valid: {', '.join(valid)} "
                       f"(a rubric of your own is found when its folder is on {RUBRICS_ENV})")


