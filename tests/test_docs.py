"""Every example in README.md and docs/ runs as written.

Each fenced code block of README.md and docs/**/*.md is collected and classified:

- ```sh / ```bash / ```shell / ```console blocks run line by line, the way a reader would
  type them: ``\\`` continuations are joined, ``# ...`` comments stripped, a here-document
  (``cat > f <<EOF ... EOF``) is one command, and each command goes to ``bash -o pipefail
  -c`` (so ``>>`` and ``|`` work). In ```console blocks only ``$ `` lines are commands; the
  lines after one are its expected output.
- ```python blocks are run with this interpreter.
- Every block of one file runs in one fresh temporary directory, in order, so later blocks
  see the files and the ``soviet.db`` earlier ones made; ``.venv/bin`` (this interpreter's
  directory) comes first on PATH and every ``SOVIET_*`` variable is unset.
- A command must exit 0, unless its comment starts with ``exit N`` or ``exits N``
  (``soviet verify --checkpoint 5:00  # exits 1: ...``): then it must exit N.
- A ```text block (or an untagged one) right after a command block, with only blank lines
  between, is that block's expected output (stdout and stderr together), compared with
  runs of whitespace made one space; ``...`` in it matches anything (hashes, dates).

Markers, on the lines just before a block (after any blank lines):

- ``<!-- docs-test: skip (why) -->`` — the block is not run; the test is reported skipped
  with the reason (``make demo``, someone's own PostgreSQL server).
- ``<!-- docs-test: file NAME -->`` — the block's text is written to NAME in the directory
  (a scenario to import, a ballot file to count); the prose should name the file too.
- ``<!-- docs-test: output -->`` — this block is the expected output of the command block
  before it even with prose between them.
- ``<!-- docs-test: needs TOOL ... -->`` — skipped when a tool (jq, openssl) is not on PATH.

Other blocks (JSON shapes, diagrams, YAML not marked as a file) are documentation, not
examples, and are not run; a YAML block that is a scenario (a top-level ``scenario:`` key)
must carry a ``file`` marker so that some example imports it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SHELL_LANGS = {"sh", "bash", "shell", "console"}
PYTHON_LANGS = {"python", "py"}
OUTPUT_LANGS = {"text", "", "output"}
MARKERS = {"skip", "file", "output", "needs"}
TIMEOUT = 300  # seconds per command: generous, the machine running CI may be busy
MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<kind>\w+)\s*(?P<arg>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[^\s`]*)(?P<info>.*)$")
EXIT_MARK = re.compile(r"^exits?\s+(?P<code>\d+)\b")
HEREDOC = re.compile(r"<<-?\s*(?P<q>['\"]?)(?P<word>\w+)(?P=q)")


def doc_files() -> list[Path]:
    """README.md and every Markdown file under docs/, in a stable order."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@dataclass
class Block:
    """One fenced code block of a Markdown file."""

    path: Path
    number: int  # 1-based, counting every fenced block of the file
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    markers: dict[str, str] = field(default_factory=dict)
    gap: str = ""  # the text between the previous block and this one

    @property
    def name(self) -> str:
        shown = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path.name
        return f"{shown} block {self.number}"

    @property
    def runs(self) -> bool:
        return self.lang in SHELL_LANGS | PYTHON_LANGS


def parse_blocks(path: Path, text: str | None = None) -> list[Block]:
    """The fenced blocks of a Markdown file with their markers."""
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks: list[Block] = []
    gap: list[str] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            gap.append(lines[i])
            i += 1
            continue
        indent, fence = len(m["indent"]), m["fence"]
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence) and not lines[i].strip().strip(fence[0])
        ):
            line = lines[i]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            i += 1
        i += 1  # the closing fence
        markers: dict[str, str] = {}
        for before in reversed(gap):
            if not before.strip():
                continue
            marker = MARKER.match(before)
            if not marker:
                break
            markers[marker["kind"]] = marker["arg"].strip("()")
        blocks.append(
            Block(
                path=path,
                number=len(blocks) + 1,
                line=start + 1,
                lang=m["lang"].lower(),
                text="\n".join(body) + "\n",
                markers=markers,
                gap="\n".join(gap),
            )
        )
        gap = []
    return blocks


@dataclass
class Command:
    """One command of a shell block: what to run, where it is, the exit code expected."""

    text: str
    line: int  # 1-based line within the block
    exit_code: int = 0
    output: list[str] | None = None  # ```console: the lines shown after ``$ cmd``


def split_comment(line: str) -> tuple[str, str]:
    """``(code, comment)``: a ``#`` starting a word outside quotes starts a comment, as in
    the shell (``--by "Press shop#17"`` is no comment)."""
    quote = ""
    escaped = False
    for k, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (k == 0 or line[k - 1].isspace()):
            return line[:k].rstrip(), line[k + 1 :].strip()
    return line.rstrip(), ""


def shell_commands(block_text: str, console: bool = False) -> list[Command]:
    """The commands of a shell block, continuations joined and comments stripped."""
    lines = block_text.splitlines()
    commands: list[Command] = []
    i = 0
    while i < len(lines):
        raw, first = lines[i], i + 1
        i += 1
        if console:
            if not raw.startswith("$"):
                if commands and commands[-1].output is not None:
                    commands[-1].output.append(raw)
                continue
            raw = raw[1:].lstrip()
        code, comment = split_comment(raw)
        while code.endswith("\\") and i < len(lines):
            more = lines[i][2:] if console and lines[i].startswith("> ") else lines[i]
            i += 1
            code_more, comment_more = split_comment(more)
            code = code[:-1].rstrip() + " " + code_more.strip()
            comment = comment_more or comment
        heredoc = HEREDOC.search(code)
        if heredoc:
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != heredoc["word"]:
                body.append(lines[i])
                i += 1
            i += 1
            code = "\n".join([code, *body, heredoc["word"]])
        if not code.strip():
            continue
        mark = EXIT_MARK.match(comment)
        commands.append(
            Command(
                text=code,
                line=first,
                exit_code=int(mark["code"]) if mark else 0,
                output=[] if console else None,
            )
        )
    return commands


def normalise(text: str) -> str:
    """Runs of whitespace made one space, ends stripped."""
    return " ".join(text.split())


def output_matches(expected: str, actual: str) -> bool:
    """Whitespace-normalised equality; ``...`` in ``expected`` matches anything."""
    parts = [re.escape(part) for part in normalise(expected).split("...")]
    return re.fullmatch(".*?".join(parts), normalise(actual), flags=re.DOTALL) is not None


def environment() -> dict[str, str]:
    """The reader's shell: this virtual environment first on PATH, no SOVIET_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOVIET_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(BIN.parent)
    env["COLUMNS"] = "100"  # rich tables wrap at a fixed width
    env["NO_COLOR"] = "1"
    return env


def shorten(text: str, limit: int = 2000) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit // 2] + "\n...\n" + text[-limit // 2 :]


class DocRun:
    """The blocks of one file run in order in one directory, each block once, on demand."""

    def __init__(self, path: Path, directory: Path, state: Path) -> None:
        self.path = path
        self.directory = directory
        # The reader's terminal: `cd` and `export` in one command hold for the next ones.
        self.cwd = directory
        self.env = environment()
        self.state = state  # where each command leaves its shell's directory and environment
        self.blocks = parse_blocks(path)
        self.done = 0  # blocks [0, done) have run
        self.failures: dict[int, str] = {}  # block number -> the failure
        self.skips: dict[int, str] = {}
        self.outputs: dict[int, str] = {}  # block number -> everything its commands printed

    def result(self, number: int) -> tuple[str | None, str | None]:
        """(failure, skip reason) of block ``number``, running the blocks before it first."""
        while self.done < number:
            block = self.blocks[self.done]
            self.done += 1
            try:
                self._run(block)
            except Failure as exc:
                self.failures[block.number] = str(exc)
        failure = self.failures.get(number)
        if failure is not None:
            earlier = [n for n in self.failures if n < number]
            if earlier:
                failure += f"\n(earlier blocks of this file failed too: {earlier})"
        return failure, self.skips.get(number)

    def _run(self, block: Block) -> None:
        if "skip" in block.markers:
            self.skips[block.number] = f"{block.name}: {block.markers['skip'] or 'marked'}"
            return
        missing = [t for t in block.markers.get("needs", "").split() if not shutil.which(t)]
        if missing:
            self.skips[block.number] = f"{block.name}: needs {' '.join(missing)}"
            return
        if "file" in block.markers:
            (self.cwd / block.markers["file"]).write_text(block.text, encoding="utf-8")
            return
        previous = self.blocks[block.number - 2] if block.number > 1 else None
        if (
            previous is not None
            and previous.runs
            and block.lang in OUTPUT_LANGS
            and ("output" in block.markers or not block.gap.strip())
        ):
            self._compare(block, previous)
            return
        if block.lang in SHELL_LANGS:
            self._shell(block)
        elif block.lang in PYTHON_LANGS:
            self._python(block)

    def _compare(self, block: Block, previous: Block) -> None:
        if previous.number in self.failures or previous.number in self.skips:
            self.skips[block.number] = f"{block.name}: the output of {previous.name}, not run"
            return
        actual = self.outputs.get(previous.number, "")
        if not output_matches(block.text, actual):
            raise Failure(
                f"{block.name} (line {block.line}): the output of {previous.name} differs"
                f"\n--- expected\n{shorten(block.text)}\n--- got\n{shorten(actual)}"
            )

    def _exec(self, block: Block, line: int, shown: str, argv: list[str], want: int) -> str:
        try:
            done = subprocess.run(
                argv,
                cwd=self.cwd,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Failure(f"{block.name} line {line}: {shown}: timed out after {TIMEOUT}s") from exc
        if done.returncode != want:
            raise Failure(
                f"{block.name} line {line}: {shown}: exit {done.returncode}"
                f" (expected {want}): {shorten(done.stdout)}"
            )
        return done.stdout

    def _shell(self, block: Block) -> None:
        console = block.lang == "console"
        printed: list[str] = []
        for command in shell_commands(block.text, console=console):
            # Run as typed, then keep the shell's directory and environment for the next.
            script = (
                f"{command.text}\n__rc=$?\n"
                f'pwd > "{self.state}/cwd"; env -0 > "{self.state}/env"; exit $__rc\n'
            )
            argv = ["bash", "-o", "pipefail", "-c", script]
            out = self._exec(block, command.line, command.text, argv, command.exit_code)
            self._keep_shell_state()
            printed.append(out)
            if command.output and not output_matches("\n".join(command.output), out):
                raise Failure(
                    f"{block.name} line {command.line}: {command.text}: output differs"
                    f"\n--- expected\n{shorten(chr(10).join(command.output))}"
                    f"\n--- got\n{shorten(out)}"
                )
        self.outputs[block.number] = "".join(printed)

    def _keep_shell_state(self) -> None:
        cwd, env = self.state / "cwd", self.state / "env"
        if cwd.exists() and env.exists():
            self.cwd = Path(cwd.read_text(encoding="utf-8").strip())
            pairs = (item.partition("=") for item in env.read_text(encoding="utf-8").split("\0"))
            self.env = {k: v for k, _, v in pairs if k and k != "__rc"}
            cwd.unlink()
            env.unlink()

    def _python(self, block: Block) -> None:
        argv = [sys.executable, "-c", block.text]
        self.outputs[block.number] = self._exec(block, 1, "python block", argv, 0)


class Failure(Exception):
    """A doc example that did not run as written."""


def _cases() -> Iterator[object]:
    for path in doc_files():
        for block in parse_blocks(path):
            if block.runs or block.markers:
                # One worker runs a file's blocks: each depends on the ones before it.
                group = pytest.mark.xdist_group(name=f"docs:{path.relative_to(ROOT)}")
                yield pytest.param(path, block.number, id=block.name.replace(" ", "-"), marks=group)


@pytest.fixture(scope="session")
def doc_runs() -> Iterator[dict[Path, DocRun]]:
    """One DocRun per file, each in its own temporary directory, removed at the end."""
    assert (BIN / "soviet").exists(), f"no soviet in {BIN}: run the tests with .venv/bin/python"
    with tempfile.TemporaryDirectory(prefix="soviet-docs-") as top:
        runs: dict[Path, DocRun] = {}
        for k, path in enumerate(doc_files()):
            directory = Path(top) / f"{k:02d}-{path.stem}"
            (directory / "work").mkdir(parents=True)
            (directory / "state").mkdir()
            runs[path] = DocRun(path, directory / "work", directory / "state")
        yield runs


@pytest.mark.slow  # some 60 commands, each a new process: about a minute on two cores
@pytest.mark.parametrize(("path", "number"), list(_cases()))
def test_doc_block_runs_as_written(doc_runs: dict[Path, DocRun], path: Path, number: int) -> None:
    failure, skip = doc_runs[path].result(number)
    if skip is not None:
        pytest.skip(skip)
    if failure is not None:
        pytest.fail(failure, pytrace=False)


def test_markers_are_well_formed_and_scenarios_are_used() -> None:
    """A typo in a marker would silently run (or not run) a block; a scenario shown in
    the docs must be a file that an example imports."""
    for path in doc_files():
        for block in parse_blocks(path):
            for kind, arg in block.markers.items():
                assert kind in MARKERS, f"{block.name}: unknown marker {kind!r}"
                assert arg or kind == "output", f"{block.name}: {kind} marker without {kind}"
            if block.lang in {"yaml", "yml"}:
                data = yaml.safe_load(block.text)
                if isinstance(data, dict) and "scenario" in data:
                    assert "file" in block.markers, f"{block.name}: a scenario without a file"


def _soviet(directory: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "soviet"), *argv],
        cwd=directory,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_scenario_format_example_imports(tmp_path: Path) -> None:
    """docs/scenarios.md's first example is a scenario that imports, every step of it."""
    block = next(
        b for b in parse_blocks(ROOT / "docs" / "scenarios.md") if b.lang in {"yaml", "yml"}
    )
    name = block.markers["file"]
    (tmp_path / name).write_text(block.text, encoding="utf-8")
    scenario = yaml.safe_load(block.text)
    for argv in (["init"], ["import", name]):
        done = _soviet(tmp_path, *argv)
        assert done.returncode == 0, done.stdout + done.stderr
    history = json.loads(_soviet(tmp_path, "history", "--json").stdout)["events"]
    types = [e["type"] for e in history]
    assert types.count("CouncilCreated") == len(scenario["councils"])
    assert types.count("ConstituencyCreated") == len(scenario["constituencies"])
    assert len(types) >= len(scenario["councils"]) + len(scenario["constituencies"]) + len(
        scenario["steps"]
    )
    # The text says what the script leads to: the recall succeeds, the lists fill 6 seats.
    (petition,) = json.loads(_soviet(tmp_path, "recall", "status", "--json").stdout)["petitions"]
    assert petition["status"] == "succeeded" and petition["signatures"] == 121
    shown = json.loads(_soviet(tmp_path, "council", "show", "Works Council", "--json").stdout)
    units = {c["name"]: c for c in shown["constituencies"]}
    assert len(units["Big hall"]["delegates"]) == 6
    assert units["Press shop"]["delegates"] == []


# --- the runner itself -----------------------------------------------------------------
def test_comments_are_stripped_only_where_the_shell_would() -> None:
    assert split_comment('soviet recall open "Press shop" --by "Press shop#17"  # opens') == (
        'soviet recall open "Press shop" --by "Press shop#17"',
        "opens",
    )
    assert split_comment("echo a#b # c") == ("echo a#b", "c")
    assert split_comment("# only a comment") == ("", "only a comment")


def test_continuations_heredocs_and_exit_marks() -> None:
    block = (
        "soviet apportion --seats 3 \\\n"
        "  A=1 B=2   # two lines\n"
        "cat > f.txt <<'EOF'\n"
        "x # not a comment\n"
        "EOF\n"
        "\n"
        "soviet verify  # exits 1: tampered\n"
        "soviet verify  # hash chain: exit 0, or 1\n"
    )
    commands = shell_commands(block)
    assert [c.text for c in commands] == [
        "soviet apportion --seats 3 A=1 B=2",
        "cat > f.txt <<'EOF'\nx # not a comment\nEOF",
        "soviet verify",
        "soviet verify",
    ]
    assert [c.exit_code for c in commands] == [0, 0, 1, 0]
    assert [c.line for c in commands] == [1, 3, 7, 8]


def test_console_blocks_carry_their_output() -> None:
    (command,) = shell_commands("$ soviet verify\nintact: 12 events\n", console=True)
    assert command.text == "soviet verify" and command.output == ["intact: 12 events"]


def test_output_wildcards_and_whitespace() -> None:
    assert output_matches("head ... at seq 4", "head   3fa2c0\n at seq 4\n")
    assert not output_matches("head ... at seq 4", "head 3fa2 at seq 5")
    assert not output_matches("a b", "a b c")


def test_markers_are_read_from_the_lines_before_a_block() -> None:
    text = (
        "Save this as `x.yaml`:\n\n"
        "<!-- docs-test: file x.yaml -->\n\n"
        "```yaml\nscenario: x\n```\n"
        "<!-- docs-test: skip (needs your own server) -->\n"
        "```sh\nsoviet --db postgresql://you@there/db init\n```\n"
        "```text\nout\n```\n"
    )
    a, b, c = parse_blocks(ROOT / "x.md", text)
    assert a.markers == {"file": "x.yaml"} and a.text == "scenario: x\n"
    assert b.markers == {"skip": "needs your own server"} and b.runs
    assert c.markers == {} and c.lang == "text" and c.number == 3 and c.line == 12


def test_cd_and_export_hold_for_the_next_commands(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "```sh\nmkdir union && cd union\nexport SOVIET_DB=union.db\nsoviet init\n```\n"
        "```sh\npwd\necho $SOVIET_DB\nls\nfalse  # exits 1\n```\n"
        "```text\n.../union union.db union.db\n```\n"
        "```sh\nfalse\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "work").mkdir()
    (tmp_path / "state").mkdir()
    run = DocRun(doc, tmp_path / "work", tmp_path / "state")
    assert run.result(3) == (None, None)
    assert (tmp_path / "work" / "union" / "union.db").exists()
    failure, _ = run.result(4)
    assert failure is not None and failure.startswith("doc.md block 4 line 1: false: exit 1")
