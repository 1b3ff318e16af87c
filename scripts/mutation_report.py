"""Mutation score per module from `mutmut results --all true`, for docs/testing.md.

Prints a Markdown table (module, mutants, killed, survived, other, score) and the names of
the survivors, each of which docs/testing.md must explain (equivalent) or a test must kill.
"""

import collections
import subprocess
import sys


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors: dict[str, list[str]] = collections.defaultdict(list)
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.split(".x_")[0].rsplit(".x\u01c1", 1)[0]
        if status == "timeout":  # the tests hung on it: caught, as mutmut's own score counts it
            status = "killed"
        counts[module][status] += 1
        if status != "killed":
            survivors[module].append(f"{name} ({status})")
    print("| module | mutants | killed | survived | other | score |")
    print("|---|---|---|---|---|---|")
    for module in sorted(counts):
        c = counts[module]
        total = sum(c.values())
        other = total - c["killed"] - c["survived"]
        score = 100 * c["killed"] / total
        print(f"| {module} | {total} | {c['killed']} | {c['survived']} | {other} | {score:.1f}% |")
    for module in sorted(survivors):
        print(f"\n{module}:")
        for name in survivors[module]:
            print(f"- {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
