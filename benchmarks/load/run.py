"""The load test: locust on loopback against 4 web processes behind nginx, on the PostgreSQL mp demo.

    make load                          # or: .venv/bin/python benchmarks/load/run.py --help

It makes the plan (``prepare.py``), collects the static files once, starts 4 web processes
(``sangathan serve --no-worker`` on ports 8101–8104, each on its own so that one can die alone), one task
worker, and nginx on port 8100 balancing them (``least_conn``, as docs/OPERATIONS.md). Then:

1. the ramp: steps of rising concurrency (users), each ``--step-seconds`` long with its statistics reset
   once every user is running; requests/s, p50/p95/p99 and errors (5xx apart) per step, until p95 passes
   ``--p95-limit`` ms;
2. the kill: the last step under the limit again, ``--kill-seconds`` long, with one web process killed
   (SIGKILL) half-way; then ``check.py``: no acknowledged write lost, none half-made, no message lost.

Needs locust (``benchmarks/load/requirements.lock``, installed by ``make load`` into ``.venv-load``) and
nginx (``apt-get install nginx-light``). Figures go to docs/PERFORMANCE.md, "Load test".
"""

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PROXY_PORT, FIRST_PORT, WEB = 8100, 8101, 4
NGINX = """worker_processes 1; daemon off; pid {out}/nginx.pid; error_log {out}/nginx-error.log warn; user root;
events {{ worker_connections 4096; }}
http {{
  access_log off; client_body_temp_path {out}/nginx-body; proxy_temp_path {out}/nginx-proxy;
  upstream sangathan {{ least_conn; {servers} keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://sangathan; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="10,20,40,80,160,320", help="Users per ramp step.")
    parser.add_argument("--step-seconds", type=int, default=60)
    parser.add_argument("--kill-seconds", type=int, default=120)
    parser.add_argument("--p95-limit", type=float, default=500.0, help="Stop the ramp past this p95 (ms).")
    parser.add_argument("--threads", type=int, default=8, help="Threads of each web process.")
    parser.add_argument("--min-people", type=int, default=1_000_000)
    parser.add_argument("--out", default=str(ROOT / "var" / "load"))
    args = parser.parse_args()
    steps = [int(n) for n in args.steps.split(",")]
    locust = ROOT / ".venv-load" / "bin" / "locust"
    if not locust.exists():
        sys.exit("locust is missing: run `make load` (it installs benchmarks/load/requirements.lock into .venv-load).")
    if not shutil.which("nginx"):
        sys.exit("nginx is missing: apt-get install nginx-light.")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The load test measures the PostgreSQL deployment: set DATABASE_URL=postgres://…")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangathan.settings")
    os.environ["SANGATHAN_TRUSTED_PROXIES"] = "2"  # the simulated phones' addresses (see locustfile.py)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from benchmarks.load import check, prepare
    from sangathan.people.models import Person

    people = Person.objects.count()
    if people < args.min_people:
        sys.exit(f"Only {people:,} people: load `sangathan demo --scale mp --members {args.min_people}` first.")
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    plan = prepare.build_plan(users=max(steps) + 20)
    (out / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"load: {people:,} people; {len(plan['sessions'])} sessions; {len(plan['roles'])} roles; "
          f"{WEB} web processes × {args.threads} threads behind nginx :{PROXY_PORT}")

    processes = _start(out, args.threads)
    try:
        print(f"  {'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'requests':>8} {'errors':>6} "
              f"{'5xx':>4}  (ms)")
        last_ok = steps[0]
        for users in steps:
            row = _locust(locust, out, f"step-{users}", users, args.step_seconds)
            print(_line(users, row))
            if row["p95"] > args.p95_limit:
                break
            last_ok = users
        since = timezone.now()
        kill_at = args.kill_seconds / 2
        print(f"kill: {last_ok} users for {args.kill_seconds} s; web process 2 (port {FIRST_PORT + 1}) "
              f"gets SIGKILL at {kill_at:.0f} s")
        row = _locust(locust, out, "kill", last_ok, args.kill_seconds,
                      on_the_way=(kill_at, lambda: processes["web2"].send_signal(signal.SIGKILL)))
        print(_line(last_ok, row))
        result = check.check(check.read_writes(out / "writes-kill.jsonl"), since)
        print("check: " + json.dumps(result, ensure_ascii=False))
        return 1 if result["problems"] else 0
    finally:
        _stop(processes)


def _start(out: Path, threads: int) -> dict[str, subprocess.Popen]:
    env = {**os.environ, "SANGATHAN_DEBUG": "0"}
    python = sys.executable
    processes = {}
    for n in range(WEB):
        port = FIRST_PORT + n
        log = open(out / f"web{n + 1}.log", "w")  # noqa: SIM115 — lives as long as the process
        processes[f"web{n + 1}"] = subprocess.Popen(  # noqa: S603 — our own command line
            [python, "-m", "sangathan.cli", "serve", "--no-worker", "--no-collectstatic", "--port", str(port),
             "--threads", str(threads)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    processes["worker"] = subprocess.Popen([python, "-m", "sangathan.cli", "worker"], env=env, cwd=ROOT,  # noqa: S603
                                           stdout=open(out / "worker.log", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
    servers = " ".join(f"server 127.0.0.1:{FIRST_PORT + n} max_fails=1 fail_timeout=30s;" for n in range(WEB))
    (out / "nginx.conf").write_text(NGINX.format(out=out, servers=servers, port=PROXY_PORT))
    processes["nginx"] = subprocess.Popen(["nginx", "-p", str(out), "-c", str(out / "nginx.conf")],  # noqa: S603,S607
                                          stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for port in [PROXY_PORT, *(FIRST_PORT + n for n in range(WEB))]:
        _wait_up(f"http://127.0.0.1:{port}/healthz")
    return processes


def _wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 — loopback
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{url} did not come up")
        time.sleep(0.5)


def _locust(locust: Path, out: Path, name: str, users: int, seconds: int, on_the_way=None) -> dict:
    env = {**os.environ, "LOAD_PLAN": str(out / "plan.json"), "LOAD_WRITES": str(out / f"writes-{name}.jsonl")}
    command = [str(locust), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary", "--reset-stats",
               "-u", str(users), "-r", str(max(5, users // 5)), "-t", f"{seconds}s", "--csv", str(out / name),
               "-H", f"http://127.0.0.1:{PROXY_PORT}", "--stop-timeout", "10"]
    process = subprocess.Popen(command, env=env, stdout=open(out / f"{name}.log", "w"),  # noqa: S603,SIM115
                               stderr=subprocess.STDOUT)
    if on_the_way:
        delay, action = on_the_way
        time.sleep(delay + users / max(5, users // 5))  # counted from when every user is running
        action()
    process.wait()
    return _stats(out, name)


def _stats(out: Path, name: str) -> dict:
    with open(out / f"{name}_stats.csv", encoding="utf-8") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    server_errors = 0
    with open(out / f"{name}_failures.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if re.search(r"\b5\d\d\b", row["Error"]):
                server_errors += int(row["Occurrences"])
    return {"rps": float(total["Requests/s"]), "p50": float(total["50%"]), "p95": float(total["95%"]),
            "p99": float(total["99%"]), "requests": int(total["Request Count"]),
            "errors": int(total["Failure Count"]), "5xx": server_errors}


def _line(users: int, row: dict) -> str:
    return (f"  {users:>5} {row['rps']:>7.1f} {row['p50']:>6.0f} {row['p95']:>6.0f} {row['p99']:>6.0f} "
            f"{row['requests']:>8} {row['errors']:>6} {row['5xx']:>4}")


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    sys.exit(main())
