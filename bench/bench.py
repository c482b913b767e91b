#!/usr/bin/env python3
"""Cowboys benchmark: real `play` runs on this machine, a table of figures with issue 11's goals,
and the same figures as JSON, so that two runs (before and after a change) can be compared.

Standard library only. See bench/README.md for what each figure means and how it is measured.

    python3 bench/bench.py                      # full: repeated figures 3 times, N=50 and N=100 games
    python3 bench/bench.py --quick              # 1 run of each, smaller games (about 4 minutes)
    python3 bench/bench.py --quick --compare OLD.json   # run, then compare with an earlier run
    python3 bench/bench.py --compare OLD.json NEW.json  # compare two earlier runs, run nothing
"""

import argparse
import atexit
import datetime
import json
import math
import os
import queue
import random
import resource
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST_PROJECT = os.path.join(REPO, "Cowboys.Host")
RELEASE_APPHOST = os.path.join(HOST_PROJECT, "bin", "Release", "net10.0", "Cowboys.Host")
APPHOST = RELEASE_APPHOST  # --apphost replaces it
RESULTS = os.path.join(REPO, "bench", "results")
SAMPLE = os.path.join(REPO, "manifests", "samples", "shootout-full.yaml")
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The floor: a bare Akka.NET cluster member (bench/BareMember), published ReadyToRun by this script
BARE_PROJECT = os.path.join(REPO, "bench", "BareMember")
BARE_EXE = os.path.join(BARE_PROJECT, "bin", "publish", "BareMember")
# The start-up trace: a startup hook (bench/StartupProbe) that reports a process's CPU, JIT and assemblies at exit
PROBE_PROJECT = os.path.join(REPO, "bench", "StartupProbe")
PROBE_DLL = os.path.join(PROBE_PROJECT, "bin", "publish", "StartupProbe.dll")
PROBE = {"dll": None, "why": "neither the start nor the floor group was in this run"}
# play sets these on every cowboy (CowboyRuntime.Environment); the bare members get the same, read from there
COWBOY_RUNTIME = os.path.join(REPO, "Cowboys.Actors", "Node", "Hosting", "CowboyRuntime.cs")

# A merged line: "NAME   | HH:mm:ss.fff INFO  message"
# INFO and DEBUG lines: play runs with --debug, because the ring's round trips are DEBUG events
LINE_RE = re.compile(r"^(?P<name>\S+)\s*\| (?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)\.(?P<ms>\d{3}) (?:INFO |DEBUG) (?P<msg>.*)$")
UP_RE = re.compile(r"^All (?P<n>\d+) cowboys are up: the game starts")
COMMIT_RE = re.compile(r"^beat (?P<beat>\d+) committed: (?P<shots>\d+) shots, (?P<alive>\d+) alive")
RTT_RE = re.compile(r"^beat (?P<beat>\d+): ring round trip (?P<rtt>[0-9.]+) ms")
KILL_RE = re.compile(r"^killed (?P<victim>\S+) with SIGKILL after beat (?P<beat>\d+) \(he hosts the leader\)")
COMMIT_ANY_RE = re.compile(r"^beat (?P<beat>\d+) committed:")
PAUSE_RE = re.compile(r"^froze (?P<victim>\S+) with SIGSTOP after beat (?P<beat>\d+) .*\(he hosts the leader\)")
LAST_RE = re.compile(r"^Last man standing is (?P<winner>\S+), after (?P<beats>\d+) beats")
DRAW_RE = re.compile(r"^Nobody is left standing after (?P<beats>\d+) beats")
DEAD_RE = re.compile(r"^beat (?P<beat>\d+): (?P<cowboy>\S+) is dead \((?:shot|forfeit)\)")
LEADER_RE = re.compile(r"^Leader started on (?P<address>\S+)")
# The bare member's own lines: "HH:mm:ss.fff message" (Akka's log lines start with "[INFO]")
BARE_LINE_RE = re.compile(r"^(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)\.(?P<ms>\d{3}) (?P<msg>.*)$")
BARE_UP_RE = re.compile(r"^all (?P<n>\d+) members are up")
BARE_RTT_RE = re.compile(r"^round trips: (?P<count>\d+) after (?P<warmup>\d+) warm-up, p50 (?P<p50>[0-9.]+) ms, p99 (?P<p99>[0-9.]+) ms")


class BenchError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Processes: every launcher we start is tracked so that it and its cowboys die with us.

RUNS = []
LOG_DIR = None  # every run's merged output is written here


def child_pids(launcher_pid):
    """Cowboy processes started by this launcher: cmdline holds `cowboy` and `--parent-pid <pid>`."""
    found = []
    want = str(launcher_pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "cowboy" not in args:
            continue
        for i, a in enumerate(args[:-1]):
            if a == "--parent-pid" and args[i + 1] == want:
                found.append(int(entry))
                break
    return sorted(found)


class Run:
    """One `Cowboys.Host play ...` (or any launcher command) with its output read line by line."""

    def __init__(self, argv, cwd=REPO, label="", env=None, line_re=LINE_RE):
        self.argv = argv
        self.label = label
        self.line_re = line_re
        self.lines = queue.Queue()
        self.all_lines = []
        self.t_spawn = time.time()  # just before the spawn
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True, env=env,
                                     text=True, errors="replace", bufsize=1)
        self.t_exit = None
        RUNS.append(self)
        self.log_path = None
        if LOG_DIR:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-") or "run"
            self.log_path = os.path.join(LOG_DIR, f"{len(RUNS):02d}-{slug}.log")
        self.known_children = set()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @property
    def pid(self):
        return self.proc.pid

    def _read(self):
        out = open(self.log_path, "w") if self.log_path else None
        try:
            if out:
                out.write(f"# {' '.join(self.argv)}\n")
            for line in self.proc.stdout:
                t = time.time()
                line = line.rstrip("\n")
                self.all_lines.append(line)
                self.lines.put((t, line))
                if out:
                    out.write(line + "\n")
        finally:
            if out:
                out.close()
            self.lines.put((time.time(), None))

    def next_event(self, deadline):
        """The next parsed INFO line as (recv_time, stamp_epoch, name, message); None at EOF."""
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise BenchError(f"{self.label}: timed out waiting for output")
            try:
                t, line = self.lines.get(timeout=left)
            except queue.Empty:
                raise BenchError(f"{self.label}: timed out waiting for output") from None
            if line is None:
                return None
            m = self.line_re.match(line)
            if m:
                return t, stamp_to_epoch(m, t), m.groupdict().get("name") or self.label, m.group("msg")

    def wait_for(self, regex, timeout):
        deadline = time.time() + timeout
        while True:
            ev = self.next_event(deadline)
            if ev is None:
                raise BenchError(f"{self.label}: output ended (exit code {self.proc.wait(5)}) before "
                                 f"/{regex.pattern}/; last lines:\n  " + "\n  ".join(self.all_lines[-15:]))
            m = regex.match(ev[3])
            if m:
                return ev, m

    def children(self):
        pids = child_pids(self.pid)
        self.known_children.update(pids)
        return pids

    def wait_exit(self, timeout):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{self.label}: launcher did not exit within {timeout} s") from None
        if self.t_exit is None:
            self.t_exit = time.time()
        self.reader.join(5)
        return rc

    def terminate(self, timeout=30):
        """SIGTERM the launcher (it stops its cowboys) and wait for it; returns its exit code."""
        self.children()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        # The cowboys exit by themselves within 0.25 s of their launcher; give them a moment.
        end = time.time() + 5
        while time.time() < end and [p for p in self.known_children if alive(p)]:
            time.sleep(0.05)
        return rc

    def kill_everything(self):
        """Last resort, used on errors, Ctrl-C and exit: only processes this run started."""
        pids = set(self.known_children)
        if self.proc.poll() is None:
            pids.update(child_pids(self.pid))
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(10)
            except (subprocess.TimeoutExpired, OSError):
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.proc.kill()
                self.proc.wait(5)
            except (subprocess.TimeoutExpired, OSError):
                pass
        for p in pids:
            if alive(p):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cleanup():
    for r in RUNS:
        r.kill_everything()


def stamp_to_epoch(m, recv):
    """A local HH:mm:ss.fff stamp as epoch seconds: the date (yesterday, today, tomorrow) that puts
    it nearest the time the line was read, so a run across midnight still comes out right."""
    tod = datetime.time(int(m.group("h")), int(m.group("m")), int(m.group("s")), int(m.group("ms")) * 1000)
    day = datetime.datetime.fromtimestamp(recv).date()
    candidates = [datetime.datetime.combine(day + datetime.timedelta(days=d), tod).timestamp() for d in (-1, 0, 1)]
    return min(candidates, key=lambda c: abs(c - recv))


# --------------------------------------------------------------------------------------------
# Helpers

def roster(tmp, n, health, damage=1):
    path = os.path.join(tmp, f"roster-{n}x{health}.json")
    with open(path, "w") as f:
        json.dump([{"name": f"c{i}", "health": health, "damage": damage} for i in range(n)], f)
    return path


def play(file, beat, seed, extra=(), debug=False):
    """The built executable's `play`; --debug only where a figure reads DEBUG lines (the ring's)."""
    return [APPHOST, "play", file, "--beat", beat, "--seed", str(seed), *(["--debug"] if debug else []), *extra]


def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return int(fields[11]) + int(fields[12])


def thread_ticks(pids):
    """utime+stime of every thread of these processes, by thread id: {(pid, tid): (name, ticks)}."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    stat = f.read()
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    name = f.read().strip()
            except OSError:
                continue  # the thread ended between the listing and the read
            fields = stat[stat.rindex(")") + 2:].split()
            out[(pid, tid)] = (name, int(fields[11]) + int(fields[12]))
    return out


def thread_name_group(name):
    """A thread's name without its number (".NET TP Worker", "DotNetty..."), so that alike threads add up."""
    return re.sub(r"[\s#_:-]*\d+$", "", name) or name


def by_thread(before, after, seconds, members):
    """% of a core per member, by thread name group, over a window: the threads' CPU between two thread_ticks."""
    groups = {}
    for key, (name, ticks) in after.items():
        spent = ticks - before.get(key, (name, 0))[1]
        if spent > 0:
            group = thread_name_group(name)
            groups[group] = groups.get(group, 0.0) + 100.0 * spent / CLK_TCK / seconds / members
    return dict(sorted(((k, round(v, 3)) for k, v in groups.items()), key=lambda kv: -kv[1]))


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError(f"no VmRSS for {pid}")


def pss_kb(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise BenchError(f"no Pss for {pid}")


def check_clock(ev, label):
    recv, stamp = ev[0], ev[1]
    if abs(recv - stamp) > 5:
        log(f"WARNING {label}: a line stamped {stamp:.3f} was read at {recv:.3f}: "
            "the cowboys' local time zone may differ from this script's")


# --------------------------------------------------------------------------------------------
# Runs: each returns raw measurements or raises BenchError with the reason

def build():
    log(f"building: dotnet build -c Release {HOST_PROJECT}")
    try:
        r = subprocess.run(["dotnet", "build", "-c", "Release", HOST_PROJECT], cwd=REPO,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
    except FileNotFoundError:
        raise BenchError("`dotnet` is not on PATH: install the .NET 10 SDK") from None
    except subprocess.TimeoutExpired:
        raise BenchError("dotnet build took more than 15 minutes") from None
    if r.returncode != 0 or not os.access(APPHOST, os.X_OK):
        tail = "\n".join((r.stdout + r.stderr).splitlines()[-30:])
        raise BenchError(f"the Release build failed (exit code {r.returncode}); "
                         f"no benchmark was run. Last lines of its output:\n{tail}")


def publish(project, output, what, built):
    """`dotnet publish -c Release` of one of the bench's own programs into `output`. Returns None, or
    why not (`built()` says whether the result is there): a failed build does not stop the other figures."""
    name = os.path.relpath(project, REPO)
    log(f"building {what}: dotnet publish -c Release {project}")
    try:
        r = subprocess.run(["dotnet", "publish", "-c", "Release", project, "-o", output],
                           cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        return "`dotnet` is not on PATH"
    except subprocess.TimeoutExpired:
        return f"dotnet publish of {name} took more than 10 minutes"
    if r.returncode != 0 or not built():
        tail = "\n  ".join((r.stdout + r.stderr).splitlines()[-10:])
        log(f"   {what} did not build (exit code {r.returncode}):\n  {tail}")
        return f"{name} did not build (exit code {r.returncode}); its output is above the table"
    return None


def build_floor():
    """Publishes the bare member (Release, ReadyToRun) into bench/BareMember/bin/publish."""
    return publish(BARE_PROJECT, os.path.dirname(BARE_EXE), "the floor (ReadyToRun)", lambda: os.access(BARE_EXE, os.X_OK))


def build_probe():
    """Builds the start-up trace's hook into bench/StartupProbe/bin/publish."""
    return publish(PROBE_PROJECT, os.path.dirname(PROBE_DLL), "the start-up probe", lambda: os.path.isfile(PROBE_DLL))


def prepare_probe(no_build):
    if no_build:
        PROBE["why"] = None if os.path.isfile(PROBE_DLL) else f"--no-build, and no start-up probe at {PROBE_DLL}"
    else:
        PROBE["why"] = build_probe()
    PROBE["dll"] = PROBE_DLL if PROBE["why"] is None else None


def traced(argv, label, timeout, env=None, watch_children=False):
    """One run of argv with the start-up probe loaded into each of its .NET processes (they inherit
    DOTNET_STARTUP_HOOKS): {command: the probe's line} for every process that exited, by its first argument."""
    with tempfile.TemporaryDirectory(prefix="cowboys-probe-") as d:
        out = os.path.join(d, "probe.jsonl")
        env = dict(env or os.environ)
        env["DOTNET_STARTUP_HOOKS"] = PROBE["dll"]
        env["COWBOYS_STARTUP_PROBE"] = out
        children_cpu(argv, label, timeout, watch_children, env)
        try:
            with open(out) as f:
                lines = [json.loads(line) for line in f if line.strip()]
        except (OSError, ValueError) as e:
            raise BenchError(f"{label}: the start-up probe wrote no readable report: {e}") from None
    by_command = {}
    for line in lines:
        if line["command"] in by_command:
            raise BenchError(f"{label}: two processes ran `{line['command']}`; the trace needs one of each")
        by_command[line["command"]] = line
    return by_command


TRACE_KINDS = ("cpu_s", "jit_ms", "jit_methods", "assemblies")


def describe_trace(line):
    """One process's start-up report, as the log shows it."""
    return (f"{line['cpu_ms']:.0f} ms CPU, JIT {line['jit_ms']:.0f} ms ({line['jit_methods']} methods), "
            f"{line['assemblies']} assemblies")


def skip_trace(figs, prefix):
    """No start-up probe (it did not build, or --no-build found none): its figures are skipped with the reason, as the floor's are."""
    log(f"   skipped: {PROBE['why']}")
    for kind in TRACE_KINDS:
        figs.skip(f"{prefix}{kind}", PROBE["why"])


def trace_figures(figs, prefix, label, runs, failed, command, floor=False):
    """The probe's figures of one kind of process (`command`) over the runs: CPU, JIT time and methods, assemblies."""
    lines = [r[command] for r in runs if command in r]
    if runs and len(lines) < len(runs) and failed is None:
        failed = f"no start-up report from a `{command}` process in {len(runs) - len(lines)} of {len(runs)} runs"
    indent = "" if floor else "  "
    figs.add(f"{prefix}cpu_s", f"{indent}{label}: CPU until exit (start-up trace)", "CPU-s",
             [line["cpu_ms"] / 1000 for line in lines], failed=failed)
    figs.add(f"{prefix}jit_ms", f"{indent}  of which compiling methods (JIT)", "ms", [line["jit_ms"] for line in lines],
             failed=failed, digits=0)
    figs.add(f"{prefix}jit_methods", f"{indent}  methods JIT-compiled", "methods", [line["jit_methods"] for line in lines],
             failed=failed, digits=0)
    figs.add(f"{prefix}assemblies", f"{indent}  assemblies loaded", "assemblies", [line["assemblies"] for line in lines],
             failed=failed, digits=0)


def cowboy_env():
    """The environment play gives a cowboy (CowboyProcess: CowboyRuntime.Environment, each only where the
    user has not set it), read from CowboyRuntime.cs so that the bare members cannot drift from it."""
    try:
        with open(COWBOY_RUNTIME) as f:
            pairs = re.findall(r'new\("(\w+)", "([^"]*)"\)', f.read())
    except OSError as e:
        raise BenchError(f"cannot read {COWBOY_RUNTIME}: {e}") from None
    if not pairs:
        raise BenchError(f"no environment variables found in {COWBOY_RUNTIME}: has its form changed?")
    env = dict(os.environ)
    for k, v in pairs:
        env.setdefault(k, v)
    return env, pairs


def free_ports(n):
    """n distinct ports free on 127.0.0.1 now, from below the ephemeral range as play takes them
    (an ephemeral port can be taken by an outgoing connection before the member binds it)."""
    try:
        low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    held = []
    try:
        while len(held) < n:
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", random.randint(10000, low - 1) if low - 10000 > 4 * n else 0))
                held.append(s)
            except OSError:
                s.close()
        return [s.getsockname()[1] for s in held]
    finally:
        for s in held:
            s.close()


def last_lines(run, k=15):
    """The line that says why (the last error or abort line, else the last line), then the last k lines."""
    own = [l for l in run.all_lines if "error: " in l]  # the launcher's own verdict (its stderr may land mid-line)
    errors = [l for l in run.all_lines if re.search(r" (ERROR|FATAL) |aborted", l)]
    key = (own or errors or run.all_lines or ["(no output)"])[-1].strip()
    if len(key) > 240:
        key = key[:240] + "..."
    return f": {key}; last lines:\n  " + "\n  ".join(l[:400] for l in run.all_lines[-k:])


def whole_game(argv, label, timeout, cwd=REPO, need_finish=True):
    """One game to its end: wall time spawn -> exit (exit 0 required), the stamps of all-Up and of
    the decision, the beat count and the winner."""
    run = Run(argv, cwd=cwd, label=label)
    try:
        deadline = time.time() + timeout
        up = decided = beats = None
        winner = None
        while True:
            ev = run.next_event(deadline)
            if ev is None:
                break
            msg = ev[3]
            if up is None and UP_RE.match(msg):
                up = ev[1]
                check_clock(ev, label)
            elif decided is None:
                m = LAST_RE.match(msg) or DRAW_RE.match(msg)
                if m:
                    decided, beats = ev[1], int(m.group("beats"))
                    winner = m.groupdict().get("winner") or "(draw)"
        rc = run.wait_exit(60)
        if rc != 0:
            raise BenchError(f"{label}: exit code {rc}{'' if up else ', the cowboys never were all Up'}" + last_lines(run))
        if need_finish and decided is None:
            raise BenchError(f"{label}: exit code 0 but no 'Last man standing' line" + last_lines(run))
        return {"wall": run.t_exit - run.t_spawn, "up": None if up is None else up - run.t_spawn,
                "game": None if up is None or decided is None else decided - up,
                "exit": None if decided is None else run.t_exit - decided, "beats": beats, "winner": winner}
    finally:
        run.kill_everything()


def children_cpu(argv, label, timeout, watch_children=False, env=None):
    """CPU-seconds (user + system) of a command and every descendant it waited for, from
    getrusage(RUSAGE_CHILDREN) around it. The launcher waits for its cowboys, so theirs is in it;
    a cowboy still alive after the launcher exited would be missing, so that fails the run."""
    # the output goes to a file, not a pipe: nobody reads it while the run goes on
    out_file = tempfile.TemporaryFile()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    proc = subprocess.Popen(argv, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out_file,
                            stderr=subprocess.STDOUT, start_new_session=True, env=env)
    seen = set()
    try:
        if watch_children:
            # find the cowboy while it runs (cheap: a /proc scan every 100 ms), to check it was reaped
            while proc.poll() is None and time.time() - t0 < timeout:
                seen.update(child_pids(proc.pid))
                time.sleep(0.1)
        proc.wait(timeout=max(1, timeout - (time.time() - t0)))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
        for p in seen:
            if alive(p):
                os.kill(p, signal.SIGKILL)
        raise BenchError(f"{label}: did not exit within {timeout} s") from None
    except BaseException:  # Ctrl-C, SIGTERM: this run is not in RUNS, so stop it here
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        raise
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out_file.seek(0)
    text = out_file.read().decode(errors="replace")
    out_file.close()
    if LOG_DIR:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-")
        with open(os.path.join(LOG_DIR, f"cpu-{slug}.log"), "a") as f:
            f.write(f"# {' '.join(argv)}\n{text}")
    if proc.returncode != 0:
        raise BenchError(f"{label}: exit code {proc.returncode}; last lines:\n  "
                         + "\n  ".join(text.splitlines()[-15:]))
    if watch_children:
        if not seen:
            raise BenchError(f"{label}: no cowboy process was seen")
        left = [p for p in seen if alive(p)]
        if left:
            for p in left:
                os.kill(p, signal.SIGKILL)
            raise BenchError(f"{label}: cowboy {left} outlived the launcher, so its CPU is not counted")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, time.time() - t0


def turn_order(n, beat):
    """GameRules.TurnOrder: the roster's order, starting one place further round each beat."""
    start = (beat - 1) % n
    return [(start + k) % n for k in range(n)]


def ring(tmp, n, health, seed, timeout, warmup):
    """One long --beat 0 game with --debug. Each `beat K: ring round trip X ms` line is the leader's
    Stopwatch from telling the token to the first cowboy of the beat's route until the token is
    back (GameMaster.SendToken -> OnTokenBack; logged with the commit, RingTimer keeps them). The
    route is the beat's turn order, alive (and present) cowboys only; the token makes len(route)+1
    messages: leader -> first, cowboy -> next, last -> leader. The leader runs inside one cowboy's
    process, so a message between it and its own cowboy (first or last stop) is in-process: the
    remoting hops are the rest. Returns per-beat (round trip, remoting hops, messages)."""
    names = [f"c{i}" for i in range(n)]
    run = Run(play(roster(tmp, n, health), "0", seed, ["--timeout", f"{int(timeout)}s"], debug=True),
              label=f"ring N={n} seed {seed}")
    try:
        deadline = time.time() + timeout + 30
        died = {}  # name -> the beat he died in
        leaders = []
        beats = []
        decided = False
        while True:
            ev = run.next_event(deadline)
            if ev is None:
                break
            msg = ev[3]
            m = RTT_RE.match(msg)
            if m:
                k = int(m.group("beat"))
                route = [i for i in turn_order(n, k) if died.get(names[i], k) >= k]
                host = names.index(leaders[-1]) if leaders and leaders[-1] in names else None
                remote = len(route) + 1 - (route[0] == host) - (route[-1] == host)
                beats.append((k, float(m.group("rtt")), remote, len(route) + 1))
                continue
            m = DEAD_RE.match(msg)
            if m:
                died.setdefault(m.group("cowboy"), int(m.group("beat")))
                continue
            m = LEADER_RE.match(msg)
            if m:
                leaders.append(ev[2])
                continue
            if LAST_RE.match(msg) or DRAW_RE.match(msg):
                decided = True
        rc = run.wait_exit(30)
        if rc != 0 or not decided:
            raise BenchError(f"{run.label}: exit code {rc}, decided {decided}" + last_lines(run))
        if len(set(leaders)) != 1:
            raise BenchError(f"{run.label}: the leader ran on {leaders or 'no cowboy'}; the hop count "
                             "needs one leader host for the whole game")
        if len(beats) <= warmup:
            raise BenchError(f"{run.label}: only {len(beats)} round trips, fewer than the {warmup} warm-up beats")
        return {"beats": beats, "warm": beats[warmup:], "wall": run.t_exit - run.t_spawn, "leader": leaders[0]}
    finally:
        run.kill_everything()


def failover(tmp, n, seed, timeout, fault="--chaos", fault_re=KILL_RE):
    """Seconds from the SIGKILL (play --chaos 1) or SIGSTOP (play --pause 1) of the leader's host
    to the next committed beat, both from the log's stamps."""
    run = Run(play(roster(tmp, n, 60), "200ms", seed, [fault, "1", "--timeout", f"{int(timeout)}s"]),
              label=f"failover ({fault}) N={n} seed {seed}")
    try:
        deadline = time.time() + timeout
        killed = None
        while True:
            ev = run.next_event(deadline)
            if ev is None:
                raise BenchError(f"{run.label}: output ended before beats resumed after the fault" + last_lines(run))
            if killed is None:
                if fault_re.match(ev[3]):
                    killed = ev[1]
                continue
            if COMMIT_ANY_RE.match(ev[3]):
                return ev[1] - killed
    finally:
        run.terminate()
        run.kill_everything()


def idle_resources(tmp, n, seed, settle, window, timeout):
    """Memory and idle CPU of every cowboy of a --beat 1m game, between beat 1 and beat 2."""
    run = Run(play(roster(tmp, n, 10), "1m", seed), label=f"resources N={n} seed {seed}")
    try:
        run.wait_for(UP_RE, timeout)
        _, first = run.wait_for(COMMIT_RE, timeout)
        first_beat = int(first.group("beat"))
        # Settle first: for about 15 s after start-up the runtime re-compiles hot code at tier 1 in the
        # background, which is start-up cost, not idling. The game then idles until beat 2 (1 min).
        time.sleep(settle)
        pids = run.children()
        if len(pids) != n:
            raise BenchError(f"{run.label}: found {len(pids)} cowboy processes, expected {n}")
        watched = pids + [run.pid]
        t0, c0, th0 = time.monotonic(), {p: cpu_ticks(p) for p in watched}, thread_ticks(pids)
        time.sleep(window)
        t1, c1, th1 = time.monotonic(), {p: cpu_ticks(p) for p in watched}, thread_ticks(pids)
        if not all(alive(p) for p in watched):
            raise BenchError(f"{run.label}: a process ended during the idle window")
        cpu = {p: 100.0 * (c1[p] - c0[p]) / CLK_TCK / (t1 - t0) for p in watched}
        rss = [vm_rss_kb(p) / 1024 for p in pids]
        pss = [pss_kb(p) / 1024 for p in pids]
        launcher_rss = vm_rss_kb(run.pid) / 1024
        # Still idle? No later beat may have committed by now. Only the leader's commit lines count:
        # a cowboy's shot line also says "committed" ("... once the beat is committed").
        later = []
        for line in run.all_lines:
            m = LINE_RE.match(line)
            c = m and COMMIT_RE.match(m.group("msg"))
            if c and int(c.group("beat")) > first_beat:
                later.append(line)
        if later:
            raise BenchError(f"{run.label}: beat {first_beat + 1} committed before the idle window ended "
                             f"(a 1-minute beat):\n  " + "\n  ".join(later))
        run.terminate()
        return {"rss": rss, "pss": pss, "cpu": [cpu[p] for p in pids], "launcher_cpu": cpu[run.pid],
                "launcher_rss": launcher_rss, "threads": by_thread(th0, th1, t1 - t0, len(pids))}
    finally:
        run.kill_everything()


# A cowboy's join timings in a game of 5 (Timings.Hocon, ClusterScale.For(5)): floor.up5_s runs the bare
# members with them. With Akka's defaults a member that asks the seed before the seed listens asks again
# only after seed-node-timeout (5 s), and gossip and leader actions run once a second: five bare members
# took 8.8 s to be all Up here, which measured those timers, not what a member has to do.
COWBOY_JOIN_TIMINGS_5 = ("akka.cluster { periodic-tasks-initial-delay = 100ms, gossip-interval = 200ms, "
                         "leader-actions-interval = 200ms, seed-node-timeout = 1s, retry-unsuccessful-join-after = 1s }")


def bare_cluster(n, label, timeout, hocon=None):
    """n bare members spawned at once, every one with member 0 as its only seed (so member 0 forms
    the cluster at once and the others join it); waits until each has logged that it sees all n Up.
    Returns the runs, the spawn time and the earliest of those stamps."""
    ports = free_ports(n)
    extra = ["--hocon", hocon] if hocon else []
    t_spawn = time.time()
    runs = [Run([BARE_EXE, "member", "--port", str(p), "--seeds", f"127.0.0.1:{ports[0]}", "--members", str(n), *extra],
                label=f"{label} member {i}", env=FLOOR["env"], line_re=BARE_LINE_RE) for i, p in enumerate(ports)]
    deadline = time.time() + timeout
    ups = []
    for run in runs:
        ev, _ = run.wait_for(BARE_UP_RE, max(1, deadline - time.time()))
        check_clock(ev, run.label)
        ups.append(ev[1])
    return runs, t_spawn, min(ups)


def stop_all(runs):
    """SIGTERM every bare member (each leaves the cluster and exits), then wait for them."""
    for run in runs:
        if run.proc.poll() is None:
            run.proc.send_signal(signal.SIGTERM)
    for run in runs:
        rc = run.wait_exit(60)
        if rc != 0:
            raise BenchError(f"{run.label}: exit code {rc} after SIGTERM" + last_lines(run))


def bare_up(n, timeout):
    """Seconds from the spawn of n bare members (with a cowboy's join timings) to the first of them seeing all n Up."""
    runs = []
    try:
        runs, t_spawn, first_up = bare_cluster(n, f"floor up N={n}", timeout, COWBOY_JOIN_TIMINGS_5)
        stop_all(runs)
        return first_up - t_spawn
    finally:
        for run in runs:
            run.kill_everything()


def bare_idle(n, settle, window, timeout):
    """Idle CPU and memory of n bare members in one cluster, measured like idle_resources."""
    runs = []
    try:
        runs, _, _ = bare_cluster(n, f"floor idle N={n}", timeout)
        time.sleep(settle)
        pids = [run.pid for run in runs]
        t0, c0, th0 = time.monotonic(), {p: cpu_ticks(p) for p in pids}, thread_ticks(pids)
        time.sleep(window)
        t1, c1, th1 = time.monotonic(), {p: cpu_ticks(p) for p in pids}, thread_ticks(pids)
        if not all(alive(p) for p in pids):
            raise BenchError(f"floor idle N={n}: a member ended during the idle window")
        res = {"cpu": [100.0 * (c1[p] - c0[p]) / CLK_TCK / (t1 - t0) for p in pids],
               "rss": [vm_rss_kb(p) / 1024 for p in pids], "pss": [pss_kb(p) / 1024 for p in pids],
               "threads": by_thread(th0, th1, t1 - t0, len(pids))}
        stop_all(runs)
        return res
    finally:
        for run in runs:
            run.kill_everything()


def bare_hop(count, warmup, timeout):
    """Two bare members; one pings the other's /user/pong with a number, one at a time, warmup + count
    times; its nearest-rank p50 and p99 of the last count round trips, halved: the bare remoting hop."""
    runs = []
    try:
        pong_port, ping_port = free_ports(2)
        seeds = f"127.0.0.1:{pong_port}"
        runs.append(Run([BARE_EXE, "member", "--port", str(pong_port), "--seeds", seeds, "--members", "2"],
                        label="floor hop pong", env=FLOOR["env"], line_re=BARE_LINE_RE))
        runs.append(Run([BARE_EXE, "ping", "--port", str(ping_port), "--seeds", seeds, "--count", str(count),
                         "--warmup", str(warmup)], label="floor hop ping", env=FLOOR["env"], line_re=BARE_LINE_RE))
        _, m = runs[1].wait_for(BARE_RTT_RE, timeout)
        rc = runs[1].wait_exit(60)
        if rc != 0:
            raise BenchError(f"floor hop ping: exit code {rc}" + last_lines(runs[1]))
        stop_all(runs[:1])
        return float(m.group("p50")) / 2, float(m.group("p99")) / 2
    finally:
        for run in runs:
            run.kill_everything()


# --------------------------------------------------------------------------------------------
# Figures: what is measured, as the table and the JSON show it

class Figures:
    def __init__(self):
        self.list = []
        self.load = {}
        self.failures = []
        self.skipped = []
        self.notes = []
        self.threads = {}  # idle CPU by thread name group, per member: {"idle.cpu_pct": {...}, "floor.idle.cpu_pct": {...}}
        self.current_load = None

    def add(self, fid, label, unit, values, goal=None, check="median", failed=None, digits=2):
        """One figure; `met` compares the median (or the max, check="max") with the goal, lower is better."""
        values = [round(v, 4) for v in values if v is not None]
        if not values and failed is None:
            failed = "no value"
        median = statistics.median(values) if values else None
        deciding = (max(values) if check == "max" else median) if values else None
        met = None if goal is None or deciding is None or failed else deciding <= goal
        self.list.append({"id": fid, "label": label, "unit": unit, "values": values,
                          "median": None if median is None else round(median, 4),
                          "goal": goal, "met": met, "failed": failed, "check": check, "digits": digits})
        self.load[fid] = self.current_load
        if failed:
            first = failed.splitlines()[0]
            # a run that fails fails each of its figures: say so once
            same = [i for i, f in enumerate(self.failures) if f[1] == first]
            if same:
                self.failures[same[0]] = (self.failures[same[0]][0] + f", {fid}", first)
            else:
                self.failures.append((fid, first))

    def fail(self, fid, label, unit, reason, goal=None, check="median"):
        self.add(fid, label, unit, [], goal, check, failed=reason)

    def skip(self, fid, reason):
        self.skipped.append({"id": fid, "reason": reason})

    def started(self, fid):
        """A group of figures starts: the load now goes with each of its figures."""
        self.current_load = float(load1())


def attempt(label, fn, *a):
    """One run; a failure is logged with its reason and returned as a string instead of ending the benchmark."""
    try:
        return fn(*a), None
    except BenchError as e:
        log(f"   FAILED {label}: {e}")
        return None, str(e).splitlines()[0]


def repeated(n, label, fn, *a):
    """n runs of fn(i, *a): the values that came, and the first failure's reason (None if all came)."""
    vals, failed = [], None
    for i in range(n):
        v, f = attempt(f"{label} run {i + 1}", fn, i, *a)
        if f is None:
            vals.append(v)
        elif failed is None:
            failed = f
    return vals, failed


def measure_sample(figs, plan, args):
    k = plan["repeats"]
    exe_label = "the sample --beat 0, built Release executable, launch -> exit"
    figs.started("sample.exe.wall_s")
    log(f"sample: play the sample --beat 0, the built executable, x{k}")
    runs, failed = repeated(k, "sample exe", lambda i: whole_game(play(SAMPLE, "0", i + 1), f"sample exe seed {i + 1}", 120))
    for r in runs:
        log(f"   {r['wall']:.2f} s (spawn -> all-Up {r['up']:.2f} s, game {r['game']:.2f} s, last man -> exit {r['exit']:.2f} s)")
    figs.add("sample.exe.wall_s", exe_label, "s", [r["wall"] for r in runs], 2.5, failed=failed)
    for key, what in (("up", "spawn -> all-Up"), ("game", "all-Up -> last man"), ("exit", "last man -> exit")):
        figs.add(f"sample.exe.{key}_s", f"  of which {what}", "s", [r[key] for r in runs],
                 failed=failed if not runs else None)

    cmds = (("sample.dotnet_run_release.wall_s", "the sample via `dotnet run -c Release --no-build`", 3.0,
             ["dotnet", "run", "-c", "Release", "--no-build", "--project", "Cowboys.Host", "--", "play"]),
            ("sample.dotnet_run.wall_s", "the sample via the README's `dotnet run --project Cowboys.Host`", 4.0,
             ["dotnet", "run", "--project", "Cowboys.Host", "--", "play"]))
    for fid, label, goal, cmd in cmds:
        if args.apphost:
            figs.skip(fid, "--apphost: `dotnet run` needs the repository's own build")
            continue
        figs.started(fid)
        if fid == "sample.dotnet_run.wall_s":
            # once, not counted: the Debug build is then up to date, and what is measured is
            # dotnet run's build check plus the game, as a user's second run sees it
            log("sample: the README's dotnet run once first (not counted: brings the Debug build up to date)")
            _, f = attempt("dotnet run warm-up", whole_game, cmd + ["--beat", "0", "--seed", "0"], "dotnet run warm-up", 900)
            if f:
                figs.fail(fid, label, "s", f"the warm-up run failed: {f}", goal)
                continue
        log(f"sample: {' '.join(cmd)} --beat 0, x{k}")
        runs, failed = repeated(k, fid, lambda i: whole_game(cmd + ["--beat", "0", "--seed", str(i + 1)], f"{fid} seed {i + 1}", 300))
        log("   " + ", ".join(f"{r['wall']:.2f} s" for r in runs))
        figs.add(fid, label, "s", [r["wall"] for r in runs], goal, failed=failed)


def measure_start(figs, plan, tmp):
    k = plan["repeats"]
    lone = roster(tmp, 1, 10)
    figs.started("start.lone_cowboy.cpu_s")
    log(f"start: CPU of a lone-cowboy game (launcher + its cowboy), --beat 0, x{k}")
    runs, failed = repeated(k, "lone cowboy", lambda i: children_cpu(play(lone, "0", i + 1), f"lone cowboy {i + 1}", 120, True))
    log("   " + ", ".join(f"{c:.2f} CPU-s in {w:.2f} s" for c, w in runs))
    figs.add("start.lone_cowboy.cpu_s", "CPU to start one cowboy (lone-cowboy game, launcher included)", "CPU-s",
             [c for c, _ in runs], 0.5, failed=failed)
    figs.add("start.lone_cowboy.wall_s", "  the same game, launch -> exit", "s", [w for _, w in runs],
             failed=failed if not runs else None)
    figs.started("start.launcher_help.cpu_s")
    runs, failed = repeated(k, "launcher --help", lambda i: children_cpu([APPHOST, "--help"], "launcher --help", 60))
    log("   launcher alone (--help): " + ", ".join(f"{c:.2f} CPU-s" for c, _ in runs))
    figs.add("start.launcher_help.cpu_s", "  note: the launcher alone (`Cowboys.Host --help`)", "CPU-s",
             [c for c, _ in runs], failed=failed)
    # where the start CPU goes: each process of the same game, with the start-up probe (issue 19)
    figs.started("start.trace.cowboy_cpu_s")
    log(f"start: the same game with the start-up probe in each process, x{k}")
    if PROBE["dll"] is None:
        skip_trace(figs, "start.trace.cowboy_")
        skip_trace(figs, "start.trace.launcher_")
        return
    runs, failed = repeated(k, "lone cowboy, traced", lambda i: traced(play(lone, "0", i + 1), f"lone cowboy traced {i + 1}", 120,
                                                                       watch_children=True))
    for r in runs:
        log("   " + "; ".join(f"{c}: {describe_trace(v)}" for c, v in sorted(r.items())))
    trace_figures(figs, "start.trace.cowboy_", "the cowboy process", runs, failed, "cowboy")
    trace_figures(figs, "start.trace.launcher_", "the launcher process (play)", runs, failed, "play")


def measure_idle(figs, plan, tmp):
    n = 12
    figs.started("idle.cpu_pct")
    log(f"idle + memory: {n} cowboys, --beat 1m, a {plan['window']:.0f} s window from {plan['settle']:.0f} s after beat 1")
    res, failed = attempt("idle/memory", idle_resources, tmp, n, 400, plan["settle"], plan["window"], 180)
    if res:
        log(f"   CPU {', '.join(f'{v:.2f}' for v in res['cpu'])} %; RSS {', '.join(f'{v:.0f}' for v in res['rss'])} MB; "
            f"Pss {', '.join(f'{v:.0f}' for v in res['pss'])} MB")
    get = (lambda key: res[key]) if res else (lambda key: [])
    if res:
        figs.threads["idle.cpu_pct"] = res["threads"]
    figs.add("idle.cpu_pct", f"idle CPU per cowboy between beats, {n} cowboys (% of a core)", "%", get("cpu"), 1.0,
             "max", failed)
    figs.add("memory.rss_mb", f"cowboy VmRSS mid-game, {n} cowboys", "MB", get("rss"), 80.0, "max", failed, 1)
    figs.add("memory.pss_mb", f"cowboy Pss mid-game, {n} cowboys", "MB", get("pss"), 40.0, "max", failed, 1)
    figs.add("idle.launcher_cpu_pct", "  note: the launcher in the same window (% of a core)", "%",
             [res["launcher_cpu"]] if res else [], failed=failed)
    figs.add("memory.launcher_rss_mb", "  note: the launcher's VmRSS", "MB", [res["launcher_rss"]] if res else [],
             failed=failed, digits=1)
    # issue 19: the same at scale (full mode only: forming 100 members takes minutes here)
    for big in plan.get("idle_large", []):
        fid = f"idle.n{big}.cpu_pct"
        figs.started(fid)
        log(f"idle: {big} cowboys, --beat 1m, the same window")
        res, failed = attempt(f"idle N={big}", idle_resources, tmp, big, 401, plan["settle"], plan["window"], 480)
        if res:
            figs.threads[fid] = res["threads"]
            log(f"   CPU median {statistics.median(res['cpu']):.2f} %, max {max(res['cpu']):.2f} %")
        figs.add(fid, f"idle CPU per cowboy between beats, {big} cowboys (% of a core)", "%",
                 res["cpu"] if res else [], 0.5, "median", failed)


def measure_ring(figs, plan, tmp):
    for n, health in plan["ring"]:
        fid = f"ring.n{n}"
        figs.started(f"{fid}.hop_p50_ms")
        log(f"ring: N={n}, every cowboy health {health} damage 1, --beat 0 --debug")
        res, failed = attempt(f"ring N={n}", ring, tmp, n, health, 300 + n, 240, plan["warmup"])
        hops = [rtt / remote for _, rtt, remote, _ in res["warm"]] if res else []
        rtts = [rtt for _, rtt, _, _ in res["warm"]] if res else []
        one = lambda vals, p: [pct(vals, p)] if vals else []
        if res:
            log(f"   {len(res['beats'])} beats in {res['wall']:.1f} s, leader on {res['leader']}; beats "
                f"{plan['warmup'] + 1}+: round trip p50 {pct(rtts, 50):.3f} ms, per hop p50 {pct(hops, 50):.3f} ms")
            figs.notes.append(f"ring N={n}: {len(res['beats'])} beats, leader on {res['leader']}, first beat "
                              f"{res['beats'][0][1]:.3f} ms over {res['beats'][0][2]} remoting hops "
                              f"({res['beats'][0][3]} messages); percentiles over beats {plan['warmup'] + 1}+")
        warm = f"beats {plan['warmup'] + 1}+"
        figs.add(f"{fid}.hop_p50_ms", f"ring hop (round trip / remoting hops) p50, N={n}, {warm}", "ms",
                 one(hops, 50), 0.5, failed=failed, digits=3)
        figs.add(f"{fid}.hop_p99_ms", f"ring hop p99, N={n}", "ms", one(hops, 99), failed=failed, digits=3)
        figs.add(f"{fid}.rtt_p50_ms", f"  ring round trip p50, N={n}", "ms", one(rtts, 50), failed=failed, digits=3)
        figs.add(f"{fid}.rtt_p99_ms", f"  ring round trip p99, N={n}", "ms", one(rtts, 99), failed=failed, digits=3)


def measure_failover(figs, plan, tmp):
    k = plan["repeats"]
    for fid, label, fault, regex, seed in (
            ("failover.kill.next_commit_s", "leader's host SIGKILL -> next commit, N=5", "--chaos", KILL_RE, 600),
            ("failover.freeze.next_commit_s", "leader's host SIGSTOP (frozen) -> next commit, N=5", "--pause", PAUSE_RE, 700)):
        figs.started(fid)
        log(f"failover: {fault} 1 (--beat 200ms), N=5 x{k}")
        vals, failed = repeated(k, fid, lambda i: failover(tmp, 5, seed + i, 120, fault, regex))
        log("   " + ", ".join(f"{v:.2f} s" for v in vals))
        figs.add(fid, label, "s", vals, 5.0, failed=failed)


def measure_largest(figs, plan, tmp):
    for n, goal in plan["largest"]:
        fid = f"largest.n{n}"
        figs.started(f"{fid}.wall_s")
        # play gives up (exit 1) at twice the goal; without a goal (quick: N=30) at 90 s, which keeps
        # --quick near 3 minutes even when the game cannot start
        limit = int(goal * 2) if goal else 90
        log(f"largest game: {n} cowboys (health 10, damage 1), --beat 0, launch -> exit (play --timeout {limit}s)")
        res, failed = attempt(f"largest N={n}", whole_game,
                              play(roster(tmp, n, 10), "0", 900 + n, ["--timeout", f"{limit}s"]),
                              f"largest N={n}", limit + 60)
        if res:
            log(f"   {res['wall']:.1f} s, {res['beats']} beats, winner {res['winner']} (spawn -> all-Up {res['up']:.1f} s)")
        figs.add(f"{fid}.wall_s", f"largest game, N={n}, --beat 0, launch -> exit (finished, exit 0)", "s",
                 [res["wall"]] if res else [], goal, failed=failed, digits=1)
        figs.add(f"{fid}.up_s", f"  of which spawn -> all-Up, N={n}", "s", [res["up"]] if res else [],
                 failed=failed, digits=1)
        figs.add(f"{fid}.beats", f"  beats played, N={n}", "beats", [res["beats"]] if res else [],
                 failed=failed, digits=0)


# The bare member's build: set by main before the groups run. "why" says why there is no floor.
FLOOR = {"exe": None, "why": "the floor group was not in this run", "env": None, "pairs": []}


def measure_floor(figs, plan, tmp):
    k = plan["repeats"]
    ids = ["floor.start.cpu_s", "floor.trace.cpu_s", "floor.trace.jit_ms", "floor.trace.jit_methods", "floor.trace.assemblies",
           "floor.up5_s", "floor.idle.cpu_pct", "floor.memory.rss_mb", "floor.memory.pss_mb",
           "floor.hop_p50_ms", "floor.hop_p99_ms"]
    if FLOOR["exe"] is None:
        log(f"floor: skipped: {FLOOR['why']}")
        for fid in ids:
            figs.skip(fid, FLOOR["why"])
        return
    bare = [FLOOR["exe"]]
    figs.started("floor.start.cpu_s")
    log(f"floor: CPU of a bare member that starts, joins itself, leaves and exits, x{k}")
    runs, failed = repeated(k, "bare lone member", lambda i: children_cpu(
        bare + ["lone", "--port", str(free_ports(1)[0])], f"bare lone member {i + 1}", 120, env=FLOOR["env"]))
    log("   " + ", ".join(f"{c:.2f} CPU-s in {w:.2f} s" for c, w in runs))
    figs.add("floor.start.cpu_s", "floor: CPU to start, join, leave and exit (a lone bare member)", "CPU-s",
             [c for c, _ in runs], failed=failed)
    figs.started("floor.trace.cpu_s")
    log(f"floor: the same with the start-up probe, x{k}")
    if PROBE["dll"] is None:
        skip_trace(figs, "floor.trace.")
    else:
        runs, failed = repeated(k, "bare lone member, traced", lambda i: traced(
            bare + ["lone", "--port", str(free_ports(1)[0])], f"bare lone member traced {i + 1}", 120, env=FLOOR["env"]))
        log("   " + ", ".join(describe_trace(r["lone"]) for r in runs if "lone" in r))
        trace_figures(figs, "floor.trace.", "floor: a lone bare member", runs, failed, "lone", floor=True)

    figs.started("floor.up5_s")
    log(f"floor: 5 bare members spawned at once (a cowboy's join timings) -> the first sees all 5 Up, x{k}")
    vals, failed = repeated(k, "bare up N=5", lambda i: bare_up(5, 120))
    log("   " + ", ".join(f"{v:.2f} s" for v in vals))
    figs.add("floor.up5_s", "floor: spawn of 5 bare members -> all Up (a cowboy's join timings)", "s", vals, failed=failed)

    n = 12
    figs.started("floor.idle.cpu_pct")
    log(f"floor: {n} idle bare members in one cluster, a {plan['window']:.0f} s window from {plan['settle']:.0f} s after all are Up")
    res, failed = attempt("floor idle/memory", bare_idle, n, plan["settle"], plan["window"], 180)
    if res:
        log(f"   CPU {', '.join(f'{v:.2f}' for v in res['cpu'])} %; RSS {', '.join(f'{v:.0f}' for v in res['rss'])} MB; "
            f"Pss {', '.join(f'{v:.0f}' for v in res['pss'])} MB")
    get = (lambda key: res[key]) if res else (lambda key: [])
    if res:
        figs.threads["floor.idle.cpu_pct"] = res["threads"]
    figs.add("floor.idle.cpu_pct", f"floor: idle CPU per bare member, {n} in one cluster (% of a core)", "%",
             get("cpu"), failed=failed)
    figs.add("floor.memory.rss_mb", f"floor: bare member VmRSS, {n} in one cluster", "MB", get("rss"), failed=failed, digits=1)
    figs.add("floor.memory.pss_mb", f"floor: bare member Pss, {n} in one cluster", "MB", get("pss"), failed=failed, digits=1)

    figs.started("floor.hop_p50_ms")
    count, warmup = plan["ping"]
    log(f"floor: ping-pong between two bare members, {warmup} warm-up + {count} round trips")
    res, failed = attempt("floor hop", bare_hop, count, warmup, 120)
    if res:
        log(f"   hop (half a round trip) p50 {res[0]:.4f} ms, p99 {res[1]:.4f} ms")
    figs.add("floor.hop_p50_ms", f"floor: bare remoting hop (half a round trip) p50, {count} after {warmup}", "ms",
             [res[0]] if res else [], failed=failed, digits=3)
    figs.add("floor.hop_p99_ms", "floor: bare remoting hop p99", "ms", [res[1]] if res else [], failed=failed, digits=3)


# each cowboy figure that has a floor, and its floor
FLOOR_OF = {
    "start.lone_cowboy.cpu_s": "floor.start.cpu_s",
    "start.trace.cowboy_cpu_s": "floor.trace.cpu_s",
    "start.trace.cowboy_jit_ms": "floor.trace.jit_ms",
    "start.trace.cowboy_jit_methods": "floor.trace.jit_methods",
    "start.trace.cowboy_assemblies": "floor.trace.assemblies",
    "sample.exe.up_s": "floor.up5_s",
    "idle.cpu_pct": "floor.idle.cpu_pct",
    "memory.rss_mb": "floor.memory.rss_mb",
    "memory.pss_mb": "floor.memory.pss_mb",
    "ring.n5.hop_p50_ms": "floor.hop_p50_ms",
    "ring.n5.hop_p99_ms": "floor.hop_p99_ms",
    "ring.n20.hop_p50_ms": "floor.hop_p50_ms",
    "ring.n20.hop_p99_ms": "floor.hop_p99_ms",
}


def add_ratios(figs):
    """Each cowboy figure that has a floor gets `floor` (its id), `ratio` (median / the floor's median,
    or null) and `ratio_why` (why the ratio is null, else null)."""
    by_id = {f["id"]: f for f in figs.list}
    skipped = {s["id"]: s["reason"] for s in figs.skipped}
    for f in figs.list:
        floor_id = FLOOR_OF.get(f["id"])
        if floor_id is None:
            continue
        fl = by_id.get(floor_id)
        why = None
        if f["failed"] or f["median"] is None:
            why = "this figure failed"
        elif fl is None:
            why = f"{floor_id} skipped: {skipped[floor_id]}" if floor_id in skipped else f"{floor_id} not measured: {FLOOR['why']}"
        elif fl["failed"] or fl["median"] is None:
            why = f"{floor_id} failed"
        elif fl["median"] <= 0:
            why = f"{floor_id} is 0"
        f["floor"] = floor_id
        f["ratio"] = None if why else round(f["median"] / fl["median"], 3)
        f["ratio_why"] = why


GROUPS = {"floor": measure_floor, "sample": measure_sample, "start": measure_start, "idle": measure_idle, "ring": measure_ring,
          "failover": measure_failover, "largest": measure_largest}


# --------------------------------------------------------------------------------------------
# Report

def fmt(v, unit, digits=2):
    return f"{v:.{digits}f} {unit}".strip()


def goal_text(f):
    if f["goal"] is None:
        return ""
    return f"<= {fmt(f['goal'], f['unit'], 1 if f['goal'] < 10 else 0)}" + (" (max)" if f["check"] == "max" else "")


def print_rows(head, rows, left):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(head, widths)))
    print(line)
    for r in rows:
        cells = [str(c).ljust(w) if i in left else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(cells).rstrip())
    print(line)


def print_table(figs):
    rows = []
    for f in figs:
        v, u, d = f["values"], f["unit"], f.get("digits", 2)
        if f["failed"]:
            cells = ["", "FAILED", ""]
        elif len(v) == 1:
            cells = ["", fmt(v[0], u, d), ""]
        else:
            cells = [fmt(min(v), u, d), fmt(f["median"], u, d), fmt(max(v), u, d)]
        met = "" if f["met"] is None else ("yes" if f["met"] else "NO")
        if f["failed"] and f["goal"] is not None:
            met = "NO"
        rows.append([f["label"], len(v), *cells, goal_text(f), met, ratio_text(f)])
    print_rows(["figure", "n", "min", "median", "max", "goal", "met", "vs the floor (median / floor's median)"], rows, (0, 5, 6, 7))


def print_threads(threads):
    """Where an idle member's CPU goes, by thread name group: the cowboy beside the bare member."""
    if not threads:
        return
    names = list(threads)
    groups = sorted({g for t in threads.values() for g in t}, key=lambda g: -max(t.get(g, 0) for t in threads.values()))
    print()
    print("idle CPU by thread, % of a core per member (" + "; ".join(names) + ")")
    for g in groups[:12]:
        print(f"  {g:<24}" + "".join(f"{threads[n].get(g, 0):>12.3f}" for n in names))
    rest = groups[12:]
    if rest:
        print(f"  {'(' + str(len(rest)) + ' more)':<24}" + "".join(f"{sum(threads[n].get(g, 0) for g in rest):>12.3f}" for n in names))


def ratio_text(f):
    if "floor" not in f:
        return ""
    if f.get("ratio") is None:
        return f"- ({f.get('ratio_why')})"
    return f"x{f['ratio']:.2f} of {f['floor']}"


def compare(old, new):
    """Figure by figure: old median, new median, change in %; figures only one side has are shown too."""
    old_by = {f["id"]: f for f in old["figures"]}
    new_by = {f["id"]: f for f in new["figures"]}
    ids = [f["id"] for f in new["figures"]] + [i for i in old_by if i not in new_by]
    # runs from before the floor have no ratios: the column shows only when a run has one
    with_ratios = any(f.get("ratio") is not None for d in (old, new) for f in d["figures"])
    print(f"old: commit {old.get('commit')} {old.get('started')} {old.get('mode')}, 1-min load at start {old.get('load_at_start')}")
    print(f"new: commit {new.get('commit')} {new.get('started')} {new.get('mode')}, 1-min load at start {new.get('load_at_start')}")

    def cell(f):
        if f is None:
            return "-"
        if f["failed"] or f["median"] is None:
            return "FAILED"
        return fmt(f["median"], f["unit"], f.get("digits", 2)) + ("" if f["met"] is None else (" ok" if f["met"] else " NO"))

    rows = []
    for i in ids:
        o, n = old_by.get(i), new_by.get(i)
        change = ""
        if o and n and o["median"] is not None and n["median"] is not None and not o["failed"] and not n["failed"]:
            change = "=" if o["median"] == n["median"] else \
                ("n/a" if o["median"] == 0 else f"{100.0 * (n['median'] - o['median']) / abs(o['median']):+.1f} %")
        loads = "/".join("-" if d.get("load", {}).get(i) is None else f"{d['load'][i]:g}" for d in (old, new))
        ratios = "/".join("-" if not f or f.get("ratio") is None else f"x{f['ratio']:.2f}" for f in (o, n)) \
            if any(f and "floor" in f for f in (o, n)) else ""
        rows.append([i, cell(o), cell(n), change, goal_text(n or o), loads] + ([ratios] if with_ratios else []))
    print_rows(["figure", "old", "new", "change", "goal", "load old/new"] + (["vs floor old/new"] if with_ratios else []),
               rows, (0, 4))
    print("note: medians; 'ok'/'NO' says whether the goal was met (for the max where the goal says so); "
          "negative change = smaller = better for every figure here"
          + ("; vs floor: the figure's median / its floor's median in the same run" if with_ratios else ""))


def load_json(path):
    try:
        with open(path) as f:
            doc = json.load(f)
        if not isinstance(doc, dict) or not isinstance(doc.get("figures"), list):
            raise ValueError("no 'figures' list")
        return doc
    except (OSError, ValueError) as e:
        raise BenchError(f"cannot read benchmark results {path}: {e}") from None


def load1():
    return open("/proc/loadavg").read().split()[0]


GOALS_LARGEST = {50: 120.0, 100: 300.0}


def plan_for(quick, largest=None):
    if largest:
        sizes = [(n, GOALS_LARGEST.get(n)) for n in largest]
    else:
        sizes = [(30, None)] if quick else [(50, 120.0), (100, 300.0)]
    plan = plan_for_mode(quick)
    plan["largest"] = sizes
    return plan


def plan_for_mode(quick):
    if quick:
        return {"repeats": 1, "ring": [(5, 60), (20, 20)], "warmup": 10,
                "settle": 15.0, "window": 10.0, "ping": (2000, 1000)}
    # ping: the bare ping-pong's measured round trips and warm-up ones (a few seconds either way)
    return {"repeats": 3, "ring": [(5, 300), (20, 150)], "warmup": 50,
            "settle": 15.0, "window": 10.0, "ping": (2000, 1000), "idle_large": [100]}


def main():
    global LOG_DIR, APPHOST
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one run of each, smaller games (N=30 largest game)")
    ap.add_argument("--no-build", action="store_true", help="use the existing Release build (and the existing bare member)")
    ap.add_argument("--apphost", metavar="PATH",
                    help="use this built Cowboys.Host instead of the Release build (no build; the `dotnet run` figures are skipped)")
    ap.add_argument("--largest", metavar="N,...",
                    help="the largest-game sizes instead of the mode's (quick: 30; full: 50 and 100); goals apply to 50 and 100")
    ap.add_argument("--only", metavar="GROUP,...", help=f"only these groups of figures: {', '.join(GROUPS)}")
    ap.add_argument("--json", metavar="PATH", help="write the figures here (default: bench/results/<UTC time>-<commit>.json)")
    ap.add_argument("--compare", nargs="+", metavar="JSON",
                    help="OLD.json NEW.json: compare two runs and exit; OLD.json alone: run, then compare with it")
    ap.add_argument("--logs", help="directory for every run's output (default: a new one under /tmp)")
    args = ap.parse_args()

    if args.compare and len(args.compare) > 2:
        ap.error("--compare takes OLD.json and at most one NEW.json")
    if args.compare and len(args.compare) == 2:
        compare(load_json(args.compare[0]), load_json(args.compare[1]))
        return 0
    old = load_json(args.compare[0]) if args.compare else None
    groups = list(GROUPS)
    if args.only:
        groups = [g.strip() for g in args.only.split(",") if g.strip()]
        unknown = [g for g in groups if g not in GROUPS]
        if unknown or not groups:
            ap.error(f"--only: unknown group {', '.join(unknown) or '(none)'}; the groups are {', '.join(GROUPS)}")
    if args.apphost:
        APPHOST = os.path.abspath(args.apphost)
        if not (os.path.isfile(APPHOST) and os.access(APPHOST, os.X_OK)):
            ap.error(f"--apphost {args.apphost}: not an executable file")

    largest = None
    if args.largest:
        try:
            largest = [int(x) for x in args.largest.split(",") if x.strip()]
        except ValueError:
            largest = []
        if not largest or any(n < 2 or n > 100 for n in largest):
            ap.error(f"--largest {args.largest}: give cowboy counts from 2 to 100, comma-separated")
    plan = plan_for(args.quick, largest)
    mode = "quick" if args.quick else "full"
    started = time.time()
    started_utc = datetime.datetime.now(datetime.timezone.utc)
    load_at_start = [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, timeout=10).stdout.strip() or "unknown"
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                                    capture_output=True, text=True, timeout=10).stdout.strip())
    except Exception:
        commit, dirty = "unknown", None
    json_path = args.json or os.path.join(RESULTS, f"{started_utc.strftime('%Y%m%dT%H%M%SZ')}-{commit}.json")
    LOG_DIR = args.logs or tempfile.mkdtemp(prefix="cowboys-bench-logs-")
    os.makedirs(LOG_DIR, exist_ok=True)
    print(f"Cowboys benchmark  {started_utc.isoformat(timespec='seconds')}  commit {commit}{' (with local changes)' if dirty else ''}  "
          f"{mode}{'  only ' + ','.join(groups) if args.only else ''}")
    print(f"nproc {os.cpu_count()}   load average at start {' '.join(map(str, load_at_start))} (1/5/15 min; "
          "other work on this machine skews every figure)")
    print(f"executable: {APPHOST}")
    print(f"each run's output: {LOG_DIR}")
    print(flush=True)

    if args.apphost:
        pass
    elif not args.no_build:
        build()
    elif not os.access(APPHOST, os.X_OK):
        raise BenchError(f"no Release build at {APPHOST}: run without --no-build")
    if "floor" in groups or "start" in groups:
        prepare_probe(args.no_build)
    if "floor" in groups:
        prepare_floor(args.no_build)
    else:
        FLOOR["why"] = "the floor group was not in this run (--only)"

    figs = Figures()
    if FLOOR["exe"]:
        figs.notes.append("floor: bare members (bench/BareMember, ReadyToRun) run with "
                          + " ".join(f"{k}={FLOOR['env'][k]}" for k, _ in FLOOR["pairs"])
                          + ", CowboyRuntime.Environment as play sets it for a cowboy")
    group_s = {}  # seconds each group took, to see where a run's time goes
    with tempfile.TemporaryDirectory(prefix="cowboys-bench-") as tmp:
        for g in groups:
            t = time.time()
            GROUPS[g](figs, plan, args if g == "sample" else tmp)
            group_s[g] = round(time.time() - t, 1)
    add_ratios(figs)

    took = time.time() - started
    doc = {"commit": commit, "dirty": dirty, "started": started_utc.isoformat(timespec="seconds"), "mode": mode,
           "nproc": os.cpu_count(), "load_at_start": load_at_start[0], "load": figs.load, "load_at_end": float(load1()),
           "apphost": APPHOST, "groups": groups, "took_s": round(took, 1), "group_s": group_s, "figures": figs.list,
           "skipped": figs.skipped, "notes": figs.notes, "threads": figs.threads}
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    with open(json_path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

    print()
    print_table(figs.list)
    print_threads(figs.threads)
    for n in figs.notes:
        print(f"note: {n}")
    for s in figs.skipped:
        print(f"skipped {s['id']}: {s['reason']}")
    print("note: percentiles are nearest-rank; 'met' compares the median (the max where the goal says so) with the goal; "
          "'vs the floor' divides the median by its floor's median (bench/BareMember, a bare Akka.NET member, in this run)")
    groups_load = {}
    for k, v in figs.load.items():
        groups_load.setdefault(k.split(".")[0], v)
    print(f"1-min load average as each group of figures started: "
          f"{'; '.join(f'{k} {v}' for k, v in groups_load.items())}; at the end {load1()}")
    for ids, why in figs.failures:
        print(f"FAILED {ids}: {why}")
    print(f"benchmark took {took:.0f} s ({', '.join(f'{g} {v:.0f} s' for g, v in group_s.items())}); figures written to {json_path}; each run's output is in {LOG_DIR}")
    if old is not None:
        print()
        compare(old, doc)
    return 1 if figs.failures else 0


def prepare_floor(no_build):
    """The bare member to measure, built unless --no-build, and the environment it runs with; or why not."""
    try:
        FLOOR["env"], FLOOR["pairs"] = cowboy_env()
    except BenchError as e:
        FLOOR["why"] = str(e)
        return
    if no_build:
        ok = os.access(BARE_EXE, os.X_OK)
        FLOOR["why"] = None if ok else f"--no-build, and no bare member at {BARE_EXE}"
    else:
        FLOOR["why"] = build_floor()
    if FLOOR["why"] is None:
        FLOOR["exe"] = BARE_EXE


def on_sigterm(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    try:
        code = main()
    except BenchError as e:
        cleanup()
        print(f"bench: error: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        cleanup()
        print("bench: interrupted; every process it started has been stopped", file=sys.stderr)
        sys.exit(130)
    finally:
        cleanup()
    sys.exit(code)
