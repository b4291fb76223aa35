"""Serve the app from N Streamlit processes behind nginx, with sticky sessions.

    python deploy/serve.py --processes 2 --port 8501            # this machine, loopback only
    python deploy/serve.py --processes 4 --host 0.0.0.0          # a department server (see README)

One Streamlit process runs every student's script on threads that share one GIL, so a class
is bound by one core however many the server has. N processes use N cores. Streamlit keeps a
student's run in the process that holds the websocket, so the proxy must send every request of
a browser to the same process ("session affinity", https://docs.streamlit.io/replication).
Debian's nginx has no `sticky` directive (that is nginx Plus); instead nginx gives each new
browser a random route cookie and hashes it to pick the process, so the page, its websocket and
every reconnect land on the same process. All processes share one cookie secret, so a cookie
signed by one (XSRF) is valid in all.

The nginx configuration and all logs go to a fresh temporary folder; Ctrl-C stops everything.
`cluster()` does the same for a benchmark or a test.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ROUTE_COOKIE = "optlab_route"

NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}  # two per student (browser, app): ~500 students
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 2m;          # Streamlit's own limit is server.maxUploadSize = 1 MB

    # A browser without the route cookie gets a random one; the cookie then picks its process.
    map $cookie_{cookie} $route {{ "" $request_id; default $cookie_{cookie}; }}
    map $cookie_{cookie} $set_route {{
        "" "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}

    upstream streamlit {{
        hash $route consistent;
{servers}
    }}

    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://streamlit;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;     # with the port: Streamlit checks Origin against it
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering off;                  # frames go out as Streamlit writes them
            proxy_read_timeout 1d;                # a quiet websocket is not a dead one
            proxy_send_timeout 1d;
            add_header Set-Cookie $set_route;     # empty (not sent) once the browser has one
        }}
    }}
}}
"""


def free_port(host: str = "127.0.0.1") -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_healthy(url: str, procs: list[subprocess.Popen], timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            for p in procs:
                if p.poll() is not None:
                    raise RuntimeError(f"{p.args[0]} exited with {p.returncode} before {url} was up")
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Cluster:
    url: str                                   # what a browser opens
    backends: list[str]                        # each Streamlit process's own URL
    procs: list[subprocess.Popen] = field(default_factory=list)  # Streamlit processes, then nginx
    tmp: Path | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]


def streamlit_command(port: int, launcher: list[str] | None = None) -> list[str]:
    """`streamlit run app.py` on loopback; `launcher` replaces `python -m streamlit` (tracing)."""
    return [*(launcher or [sys.executable, "-m", "streamlit"]), "run", "app.py",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true"]


def play_slots(processes: int, cores: int | None = None) -> int:
    """Students' play loops that may work at once in each process (ui/pacing.py's
    OPTLAB_PLAY_SLOTS): the cores shared out among the processes, 1 to 2 each. Two slots in one
    process use a second core while torch runs without the GIL; but two processes on two cores
    with two slots each (four loops on two cores) trained fewer updates than with one each
    (bench_class, 30 students, alternately: 934 and 999 updates/s against 1441 and 1022)."""
    cores = cores or os.cpu_count() or 1
    return max(1, min(2, cores // processes))


def process_env(processes: int, env: dict | None = None) -> dict:
    """The environment of every Streamlit process: one cookie secret for all of them (an XSRF
    cookie set by one is valid in all), play slots for this many processes unless given."""
    out = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
    out.setdefault("OPTLAB_PLAY_SLOTS", str(play_slots(processes)))
    return out


@contextlib.contextmanager
def cluster(processes: int = 2, port: int = 0, host: str = "127.0.0.1", proxy: bool | None = None,
            launcher: list[str] | None = None, env: dict | None = None):
    """Start `processes` Streamlit processes and, if `proxy` (default: more than one process),
    nginx in front of them; yield a Cluster; stop everything on exit."""
    if processes < 1:
        raise ValueError("processes must be at least 1")
    proxy = processes > 1 if proxy is None else proxy
    tmp = Path(tempfile.mkdtemp(prefix="optlab-serve-"))
    tmp.chmod(0o755)  # nginx's workers (www-data) must reach their temp folders here
    env = process_env(processes, env)
    procs: list[subprocess.Popen] = []
    failed = False
    try:
        ports = [free_port() for _ in range(processes)] if proxy or not port else [port]
        for i, p in enumerate(ports):
            log = open(tmp / f"streamlit-{i}.log", "wb")  # a file, never an unread pipe
            procs.append(subprocess.Popen(streamlit_command(p, launcher), cwd=ROOT, env=env,
                                          stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        backends = [f"http://127.0.0.1:{p}" for p in ports]
        for url in backends:
            wait_healthy(url, procs)
        url = backends[0]
        if proxy:
            front = port or free_port(host)
            servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, host=host, port=front,
                                                              servers=servers, cookie=ROUTE_COOKIE))
            procs.append(subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"),
                                           "-e", str(tmp / "nginx-error.log")],  # not /var/log
                                          stdout=subprocess.DEVNULL, stderr=open(tmp / "nginx.out", "wb"),
                                          start_new_session=True))
            url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{front}"
            wait_healthy(url, procs, timeout=30)
        yield Cluster(url=url, backends=backends, procs=procs, tmp=tmp)
    except BaseException:
        failed = True
        raise
    finally:
        for p in reversed(procs):  # nginx first: no new requests while the apps stop
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if failed or os.environ.get("OPTLAB_KEEP_LOGS"):
            print(f"logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="Streamlit processes (default: one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the port browsers open")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address nginx listens on (0.0.0.0 on a server; the apps stay on loopback)")
    args = parser.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))  # docker stop: shut down cleanly
    with cluster(args.processes, port=args.port, host=args.host, proxy=True) as c:
        print(f"Optimization Lab: {args.processes} Streamlit processes behind nginx on "
              f"http://{args.host}:{args.port} (logs in {c.tmp}); Ctrl-C stops.", flush=True)
        try:
            while not stop:
                for p in c.procs:
                    if p.poll() is not None:
                        raise SystemExit(f"{p.args[0]} (pid {p.pid}) exited with {p.returncode}; "
                                         f"see the logs in {c.tmp}")
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
