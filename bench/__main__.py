"""Run every benchmark and print one JSON object per line, then a summary.

Each module ``bench/bench_*.py`` exposes ``run(quick: bool) -> dict``; the
dict's ``name`` becomes the line's ``bench`` key and the rest are its figures.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path


def _modules(only: set[str]) -> list[str]:
    here = Path(__file__).parent
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(here)])
        if info.name.startswith("bench_")
    )
    return [n for n in names if not only or n.removeprefix("bench_") in only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench")
    parser.add_argument("--quick", action="store_true", help="reduced sizes")
    parser.add_argument("only", nargs="*", help="module names without bench_")
    args = parser.parse_args(argv)

    results: list[dict[str, object]] = []
    started = time.perf_counter()
    failed = False
    for name in _modules(set(args.only)):
        module = importlib.import_module(f"bench.{name}")
        try:
            figures = module.run(quick=args.quick)
        except Exception as err:  # one broken bench must not hide the others
            figures = {"name": name.removeprefix("bench_"), "error": repr(err)}
            failed = True
        runs = figures if isinstance(figures, list) else [figures]
        for one in runs:
            line = {"bench": one.pop("name", name.removeprefix("bench_")), **one}
            results.append(line)
            print(json.dumps(line, sort_keys=False), flush=True)

    total = time.perf_counter() - started
    print(
        f"\n{len(results)} benches in {total:.1f} s ({'quick' if args.quick else 'full'} sizes)"
    )
    for line in results:
        figures = ", ".join(f"{k}={v}" for k, v in line.items() if k != "bench")
        print(f"  {line['bench']}: {figures}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
