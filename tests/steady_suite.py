"""Is the suite steady? Run the README's test command (python -m pytest) several times in a row
with a CPU hog beside it, and print the tally (issue 14: the suite must pass 10 of 10).

    python tests/steady_suite.py                       # 10 runs, one hog, the whole suite
    python tests/steady_suite.py --clone               # … in a fresh clone of HEAD
    python tests/steady_suite.py --runs 2 -- tests/test_pacing.py   # a quick check of a subset

Each run's output goes to a log file (the folder is printed); the tally lists every test that
failed in any run, with how often. The exit status is 0 only if every run passed.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_COMMAND = [sys.executable, "-m", "pytest"]
HOG = "while True: pass"  # one core kept busy by a plain Python loop


def start_hogs(n: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", HOG], start_new_session=True) for _ in range(n)]


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)  # its own session: nothing else is in that group
            p.wait()


def fresh_clone(into: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(into)], check=True)
    return into


def failed_tests(output: str) -> list[str]:
    """The test ids of pytest's short summary ("FAILED tests/x.py::test - …", also ERROR)."""
    return re.findall(r"^(?:FAILED|ERROR) (\S+)", output, flags=re.M)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--hogs", type=int, default=1, help="busy processes beside the suite")
    parser.add_argument("--clone", action="store_true", help="run in a fresh clone of HEAD")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed on to pytest")
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="steady-suite-"))
    where = fresh_clone(logs / "clone") if args.clone else ROOT
    command = README_COMMAND + args.pytest_args
    # the commit under test: a tally "in a row" counts only runs of one commit, also across days
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=where,
                            capture_output=True, text=True).stdout.strip() or "(no git)"
    print(f"{args.runs} runs of `{' '.join(['python', '-m', 'pytest', *args.pytest_args])}` at {commit} "
          f"in {where}, {args.hogs} CPU hog(s) beside it, {os.cpu_count()} cores; logs in {logs}", flush=True)
    hogs = start_hogs(args.hogs)
    failures: collections.Counter = collections.Counter()
    passed = 0
    try:
        for i in range(1, args.runs + 1):
            start = time.time()
            log = logs / f"run-{i:02d}.log"
            with open(log, "wb") as out:
                rc = subprocess.run(command, cwd=where, stdout=out, stderr=subprocess.STDOUT).returncode
            output = log.read_text(errors="replace")
            summary = (output.strip().splitlines() or ["(no output)"])[-1].strip("= ")
            ok = rc == 0
            passed += ok
            failed = failed_tests(output)
            failures.update(failed)
            print(f"  run {i:2d}: {'passed' if ok else 'FAILED'}  {time.time() - start:6.0f} s  "
                  f"{summary}", flush=True)
            for test in failed:
                print(f"           {test}", flush=True)
    finally:
        stop(hogs)
    print(f"\n{passed} of {args.runs} runs passed at {commit}")
    for test, n in failures.most_common():
        print(f"  failed {n}x: {test}")
    sys.exit(0 if passed == args.runs else 1)


if __name__ == "__main__":
    main()
