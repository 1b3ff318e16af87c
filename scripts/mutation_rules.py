"""Mutate the permission rules that mutmut cannot reach, and run the access tests on each.

mutmut 3 mutates the bodies of functions only. Who may do what is mostly written at module
level: predicates composed with & | ~ (`can_view_person = is_worker & (...)`), the rules
registered with `rules.add_perm`, and sets of states (`PUBLIC_STATUSES`). This script changes
each of those in turn, in a scratch copy of the project (never the tree it is run from): an
`&` for an `|` and back, one side of an operator dropped, a `~` dropped, one member of a set
left out, and a bare predicate replaced by "everyone" and by "no one". For each change it runs
the access tests and records the first that failed. A change that no test notices is a
survivor: a gap in the tests, or a rule that does not matter.

Run by `make mutation` after mutmut; docs/testing.md has the results.
    MUTATION_TEMPLATE_DB=... python scripts/mutation_rules.py [--only accounts/permissions.py]
"""

import argparse
import ast
import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "accounts/permissions.py",
    "opportunities/permissions.py",
    "feedback/permissions.py",
    "payments/permissions.py",
    "notifications/permissions.py",
]
# The quick ones first (pytest stops at the first failure); the role table, which walks every
# page as eight kinds of person, last.
TESTS = [
    "accounts/tests",
    "feedback/tests/test_permissions.py",
    "feedback/tests/test_lead_access.py",
    "opportunities/tests/test_lead_worker.py",
    "opportunities/tests/test_views_access.py",
    "feedback/tests/test_views.py",
    # Who may log a call or a letter owed to a person (notifications/permissions.py).
    "notifications/tests/test_contact_tasks.py",
    "home/tests",
    # Who may see, change, approve and export claims, and read receipts (payments/permissions.py).
    "payments/tests/test_me_pages.py",
    "payments/tests/test_receipts_view.py",
    "payments/tests/test_review_pages.py",
    "payments/tests/test_finance_pages.py",
    "payments/tests/test_me_claim_forms.py",
    "payments/tests/test_limits.py",
    "tests/test_access_table.py",
]
OPERATORS = {ast.BitAnd: "&", ast.BitOr: "|"}


def is_rule(node: ast.expr) -> bool:
    """A composition of predicates, or a bare predicate by name."""
    if isinstance(node, ast.BinOp):
        return type(node.op) in OPERATORS
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Invert)
    return isinstance(node, ast.Name) and node.id.startswith(("is_", "can_", "owns_", "leads_", "took_"))


def set_members(node: ast.expr) -> list[ast.expr] | None:
    """The members of `{...}` or `frozenset({...})`, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "frozenset":
        node = node.args[0] if node.args else node
    return node.elts if isinstance(node, ast.Set) else None


def subtrees(node: ast.expr, path: tuple = ()) -> Iterator[tuple[tuple, ast.expr]]:
    yield path, node
    if isinstance(node, ast.BinOp):
        yield from subtrees(node.left, (*path, "left"))
        yield from subtrees(node.right, (*path, "right"))
    elif isinstance(node, ast.UnaryOp):
        yield from subtrees(node.operand, (*path, "operand"))


def replaced(root: ast.expr, path: tuple, new: ast.expr) -> ast.expr:
    if not path:
        return new
    root = copy.deepcopy(root)
    parent = root
    for step in path[:-1]:
        parent = getattr(parent, step)
    setattr(parent, path[-1], new)
    return root


def rule_variants(rule: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """A bare predicate becomes "everyone" and "no one"; a composition changes one operator or
    loses one side at a time (which covers letting in more, or fewer, people)."""
    if isinstance(rule, ast.Name):
        yield "everyone", ast.parse("rules.always_allow", mode="eval").body
        yield "no one", ast.parse("rules.always_deny", mode="eval").body
    for path, node in subtrees(rule):
        if isinstance(node, ast.BinOp):
            swapped = copy.deepcopy(node)
            swapped.op = ast.BitOr() if isinstance(node.op, ast.BitAnd) else ast.BitAnd()
            text = ast.unparse(node)
            yield (
                f"{OPERATORS[type(node.op)]} becomes {OPERATORS[type(swapped.op)]} in {text}",
                replaced(rule, path, swapped),
            )
            yield f"only {ast.unparse(node.left)} of {text}", replaced(rule, path, node.left)
            yield f"only {ast.unparse(node.right)} of {text}", replaced(rule, path, node.right)
        elif isinstance(node, ast.UnaryOp):
            yield f"{ast.unparse(node)} without ~", replaced(rule, path, node.operand)


def mutations(source: str) -> Iterator[tuple[int, int, str, str]]:
    """(first line, last line, what changed, the statement as changed) for each mutation."""
    for statement in ast.parse(source).body:
        target, value = None, None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and ast.unparse(statement.value.func) == "rules.add_perm"
        ):
            call = statement.value
            value = call.args[1]
            if isinstance(value, ast.Name) and value.id.startswith("can_"):
                continue  # a rule defined above, mutated where it is defined
        if value is None:
            continue
        lines = (statement.lineno, statement.end_lineno)
        members = set_members(value)
        if target is not None and members is not None:
            for index, member in enumerate(members):
                changed = copy.deepcopy(statement)
                del (set_members(changed.value) or [])[index]
                yield *lines, f"{ast.unparse(target)} without {ast.unparse(member)}", ast.unparse(changed)
            continue
        if not is_rule(value):
            continue
        name = ast.unparse(target) if target is not None else ast.unparse(statement.value.args[0])
        for what, new in rule_variants(value):
            changed = copy.deepcopy(statement)
            if target is not None:
                changed.value = new
            else:
                changed.value.args[1] = new
            yield *lines, f"{name}: {what}", ast.unparse(changed)


def scratch_copy() -> Path:
    """The project as it is now (committed or not), without .git, .venv and the like."""
    scratch = Path(tempfile.mkdtemp(prefix="mutation-rules-"))
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],  # noqa: S607 (the developer's own git)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in [*listed, "static/dist/app.css"]:
        source = ROOT / name
        if source.is_file():
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, scratch / name)
    return scratch


def run_tests(scratch: Path, tests: list[str], *, tries: int = 3) -> tuple[bool, str]:
    """(passed, the first failing test) for these tests in the scratch copy. A run that ends
    without a failed test (the database refused a connection on a busy machine, say) proves
    nothing: it is tried again, and reported as an error if it never gets that far."""
    for _ in range(tries):
        result = subprocess.run(  # noqa: S603 (our own pytest, on our own tests)
            [sys.executable, "-m", "pytest", "-x", "-q", "-rf", "-p", "no:cacheprovider", *tests],
            cwd=scratch,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if result.returncode == 0:
            return True, ""
        failed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAILED ")]
        if failed:
            return False, failed[0]
        time.sleep(10)
    return False, "error: " + " ".join(result.stdout.split()[-40:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="a module of MODULES (repeatable)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that `finally` tidies up
    scratch = scratch_copy()
    # The tests that caught earlier changes are tried first, on their own: most changes are
    # caught by one of a few, in seconds, and only the rest pay for the whole selection.
    killers: list[str] = []
    try:
        passed, detail = run_tests(scratch, TESTS)
        if not passed:
            print(f"The access tests fail without any change: {detail}", file=sys.stderr)
            return 1
        rows, survivors = [], []
        for module in args.only or MODULES:
            # The module's own app's tests first: they are the likeliest to catch a change to
            # its rules, and pytest stops at the first failure. Same tests, same verdicts.
            app = module.split("/")[0] + "/"
            tests = sorted(TESTS, key=lambda test: not test.startswith(app))
            path = scratch / module
            original = path.read_text()
            lines = original.splitlines(keepends=True)
            for first, last, what, statement in mutations(original):
                path.write_text("".join([*lines[: first - 1], statement + "\n", *lines[last:]]))
                started = time.monotonic()
                passed, detail = True, ""
                if killers:
                    passed, detail = run_tests(scratch, killers)
                if passed or detail.startswith("error: "):
                    passed, detail = run_tests(scratch, tests)
                    if not passed and not detail.startswith("error: "):
                        killers[:] = [detail, *killers[:11]]
                seconds = time.monotonic() - started
                if passed:
                    verdict = "survived"
                elif detail.startswith("error: "):
                    verdict = detail
                else:
                    verdict = f"caught by `{detail}`"
                rows.append(f"| {module}:{first} | {what} | {verdict} | {seconds:.0f} s |")
                print(rows[-1], flush=True)
                if passed:
                    survivors.append(f"{module}:{first} {what}")
            path.write_text(original)
        errors = sum("| error: " in row for row in rows)
        caught = len(rows) - len(survivors) - errors
        print(f"\n{caught} of {len(rows)} changes to the rules caught, {errors} could not be run; survivors:")
        for survivor in survivors:
            print(f"- {survivor}")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
