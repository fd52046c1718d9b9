#!/usr/bin/env python3
"""Time from saving one case study to its rebuilt page under ``casebook serve``.

    .venv/bin/python scripts/bench_serve.py               # the shipped project, 5 edits
    .venv/bin/python scripts/bench_serve.py --edits 3
    .venv/bin/python scripts/bench_serve.py --n 200       # a synthetic project (scripts/synth_corpus.py)

Copies the project to a temporary folder, starts ``casebook serve --dev-addr 127.0.0.1:<free port>`` on it,
waits until the case-study page is served, then repeatedly rewrites that case's ``title.ja`` in
``case.yaml`` and polls the page (every 20 ms) until the new title appears. Reports, per edit and as
medians: ``page`` — save → the served HTML holds the new title; ``reload`` — save → the server logs
"Reloading browsers" (the whole rebuild, search index included, is done and live reload fires). Waits for
each rebuild to finish before the next edit. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_machine  # noqa: E402

COPY = ["content", "casestudies", "templates", "overrides", "src", "mkdocs.yml"]


#: What the server prints when live reload fires: MkDocs' own line, or casebook serve's shortened log in
#: either language (messages/interface.yaml serve-reloaded); waiting for the English line alone made every
#: edit time out once casebook serve began translating its log.
RELOADED = ("Reloading browsers", "ブラウザを再読み込みしました", "browser reloaded")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_project(src: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPY:
        path = src / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=skip)
        elif path.is_file():
            shutil.copy2(path, dest / name)
    if not (dest / "src").exists():  # mkdocstrings reads src/ (paths: [src]) for api.md
        shutil.copytree(ROOT / "src", dest / "src", ignore=skip)
    return dest


def casebook_command() -> list[str]:
    exe = Path(sys.executable).with_name("casebook")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "casebook.cli"]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


class Log:
    """Collects the server's stderr lines with their arrival times."""

    def __init__(self, stream) -> None:
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()

    def wait_for(self, text: str | tuple[str, ...], after: float, timeout: float) -> float | None:
        """Arrival time of the first line containing ``text`` (or one of several) that came after ``after``."""
        texts = (text,) if isinstance(text, str) else text
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    if t >= after and any(x in line for x in texts):
                        return t
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def tail(self, n: int = 30) -> str:
        return "\n".join(line for _, line in self.lines[-n:])


def bench(root: Path, edits: int, log=print, startup_timeout: float = 600, pythonpath: Path | None = None) -> dict:
    """Serve ``root`` (copied to a temporary folder) and time ``edits`` title edits of one case study.

    ``pythonpath``: run the server with the ``casebook`` package under this folder instead (a baseline).
    """
    with tempfile.TemporaryDirectory(prefix="casebook-bench-serve-") as tmp:
        project = copy_project(root, Path(tmp) / "project")
        case_file = sorted((project / "casestudies").glob("*/case.yaml"))[0]
        case_id = case_file.parent.name
        port = free_port()
        url = f"http://127.0.0.1:{port}/casestudies/{case_id}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        env.pop("CASEBOOK_SITE_URL", None)
        if pythonpath is not None:
            env["PYTHONPATH"] = str(pythonpath)
        proc = subprocess.Popen([*casebook_command(), "--root", str(project), "serve", "--dev-addr",
                                 f"127.0.0.1:{port}"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        server_log = Log(proc.stderr)
        try:
            started = time.perf_counter()
            while fetch(url) is None:
                if proc.poll() is not None or time.perf_counter() - started > startup_timeout:
                    raise SystemExit(f"casebook serve did not serve {url}:\n{server_log.tail()}")
                time.sleep(0.1)
            startup = time.perf_counter() - started
            log(f"  serving {url} after {startup:.1f} s (initial build)")
            time.sleep(1.0)  # let the watcher settle
            original = case_file.read_text(encoding="utf-8")
            title = yaml.safe_load(original)["title"]["ja"]
            if original.count(title) < 1:
                raise SystemExit(f"cannot find the title of {case_file} in its text")
            page_times, reload_times = [], []
            for i in range(edits):
                new_title = f"{title}（速度計測 {i + 1}）"
                text = original.replace(title, new_title, 1)
                saved = time.perf_counter()
                case_file.write_text(text, encoding="utf-8")
                page = None
                while time.perf_counter() - saved < 120:
                    body = fetch(url)
                    if body is not None and new_title in body:
                        page = time.perf_counter() - saved
                        break
                    time.sleep(0.02)
                reloaded = server_log.wait_for(RELOADED, saved, 120)
                if page is None or reloaded is None:
                    raise SystemExit(f"edit {i + 1}: the page did not show the new title:\n{server_log.tail()}")
                page_times.append(page)
                reload_times.append(reloaded - saved)
                log(f"  edit {i + 1}/{edits}: page {page:.2f} s, reload {reloaded - saved:.2f} s  "
                    f"[{bench_machine.text()}]")
                time.sleep(0.5)
            built = [line for _, line in server_log.lines if "Documentation built in" in line]
        finally:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
    return {"edits": edits, "case": case_id, "startup_s": startup,
            "page_s": statistics.median(page_times), "reload_s": statistics.median(reload_times),
            "page_all": page_times, "reload_all": reload_times, "mkdocs_said": built[-edits:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edits", type=int, default=5, help="title edits; medians (default 5)")
    ap.add_argument("--n", type=int, help="serve a synthetic project of N case studies instead")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.n:
        sys.path.insert(0, str(HERE))
        from synth_corpus import write_project

        with tempfile.TemporaryDirectory(prefix="casebook-bench-serve-synth-") as tmp:
            root = write_project(args.n, Path(tmp) / "project")
            result = bench(root, args.edits)
        label = f"synthetic project, {args.n} case studies"
    else:
        result = bench(ROOT, args.edits)
        label = "shipped project"
    print(f"## casebook serve, {label}: save → rebuilt page {result['page_s']:.2f} s, save → live reload "
          f"{result['reload_s']:.2f} s (medians of {result['edits']} edits; target < 3 s)")
    for line in result["mkdocs_said"]:
        print(f"  mkdocs: {line.strip()}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
