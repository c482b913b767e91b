#!/usr/bin/env python3
"""Cowboys benchmark: real `play` runs on this machine, a table of figures at the end.

Standard library only. See bench/README.md for what each figure means and how it is measured.

    python3 bench/bench.py            # full: 3 runs where repeated (a few minutes on 2 cores)
    python3 bench/bench.py --quick    # 1 run of each
"""

import argparse
import atexit
import datetime
import json
import math
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST_PROJECT = os.path.join(REPO, "Cowboys.Host")
APPHOST = os.path.join(HOST_PROJECT, "bin", "Release", "net10.0", "Cowboys.Host")
SAMPLE = os.path.join(REPO, "manifests", "samples", "shootout-full.yaml")
CLK_TCK = os.sysconf("SC_CLK_TCK")

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

    def __init__(self, argv, cwd=REPO, label=""):
        self.argv = argv
        self.label = label
        self.lines = queue.Queue()
        self.all_lines = []
        self.t_spawn = time.time()  # just before the spawn
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True,
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
            m = LINE_RE.match(line)
            if m:
                return t, stamp_to_epoch(m, t), m.group("name"), m.group("msg")

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


def play(file, beat, seed, extra=()):
    return [APPHOST, "play", file, "--beat", beat, "--seed", str(seed), "--debug", *extra]


def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return int(fields[11]) + int(fields[12])


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
# The figures

def build():
    log(f"building: dotnet build -c Release {HOST_PROJECT}")
    try:
        r = subprocess.run(["dotnet", "build", "-c", "Release", HOST_PROJECT], cwd=REPO,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise BenchError("`dotnet` is not on PATH: install the .NET 10 SDK") from None
    except subprocess.TimeoutExpired:
        raise BenchError("dotnet build took more than 10 minutes") from None
    if r.returncode != 0 or not os.access(APPHOST, os.X_OK):
        tail = "\n".join((r.stdout + r.stderr).splitlines()[-30:])
        raise BenchError(f"the Release build failed (exit code {r.returncode}); "
                         f"no benchmark was run. Last lines of its output:\n{tail}")


def launch_to_up(tmp, n, seed, timeout):
    """Seconds from just before spawn to the stamp of the leader's all-Up line (--beat 1m)."""
    run = Run(play(roster(tmp, n, 10), "1m", seed), label=f"all-Up N={n} seed {seed}")
    try:
        ev, m = run.wait_for(UP_RE, timeout)
        check_clock(ev, run.label)
        if int(m.group("n")) != n:
            raise BenchError(f"{run.label}: leader reports {m.group('n')} cowboys, expected {n}")
        up = ev[1] - run.t_spawn
        run.terminate()
        return up
    finally:
        run.kill_everything()


def ring(tmp, n, health, seed, timeout):
    """Every beat's ring round trip (ms) of one long --beat 0 game."""
    run = Run(play(roster(tmp, n, health), "0", seed, ["--timeout", f"{int(timeout)}s"]),
              label=f"ring N={n} seed {seed}")
    try:
        deadline = time.time() + timeout + 30
        rtts, winner = [], None
        while True:
            ev = run.next_event(deadline)
            if ev is None:
                break
            m = RTT_RE.match(ev[3])
            if m:
                rtts.append(float(m.group("rtt")))
                continue
            m = LAST_RE.match(ev[3])
            if m:
                winner = m.group("winner")
        rc = run.wait_exit(30)
        if rc != 0 or winner is None:
            raise BenchError(f"{run.label}: exit code {rc}, winner {winner}; last lines:\n  "
                             + "\n  ".join(run.all_lines[-15:]))
        return rtts, run.t_exit - run.t_spawn
    finally:
        run.kill_everything()


def failover(tmp, n, seed, timeout, fault="--chaos", fault_re=KILL_RE):
    """Seconds from the SIGKILL (play --chaos 1) or SIGSTOP (play --pause 1) of the leader's host to the next committed beat."""
    run = Run(play(roster(tmp, n, 60), "200ms", seed, [fault, "1", "--timeout", f"{int(timeout)}s"]),
              label=f"failover ({fault}) N={n} seed {seed}")
    try:
        deadline = time.time() + timeout
        killed = None
        while True:
            ev = run.next_event(deadline)
            if ev is None:
                raise BenchError(f"{run.label}: output ended before beats resumed after the kill; last lines:\n  "
                                 + "\n  ".join(run.all_lines[-15:]))
            if killed is None:
                if fault_re.match(ev[3]):
                    killed = ev[1]
                continue
            if COMMIT_ANY_RE.match(ev[3]):
                return ev[1] - killed
    finally:
        run.terminate()
        run.kill_everything()


def idle_resources(tmp, n, seed, window, timeout):
    """Memory and idle CPU of every cowboy of a --beat 1m game, between beat 1 and beat 2."""
    run = Run(play(roster(tmp, n, 10), "1m", seed), label=f"resources N={n} seed {seed}")
    try:
        run.wait_for(UP_RE, timeout)
        run.wait_for(COMMIT_RE, timeout)
        # Settle first: for about 15 s after start-up the runtime re-compiles hot code at tier 1 in the
        # background, which is start-up cost, not idling. The game then idles until beat 2 (1 min).
        time.sleep(15.0)
        pids = run.children()
        if len(pids) != n:
            raise BenchError(f"{run.label}: found {len(pids)} cowboy processes, expected {n}")
        watched = pids + [run.pid]
        t0, c0 = time.monotonic(), {p: cpu_ticks(p) for p in watched}
        time.sleep(window)
        t1, c1 = time.monotonic(), {p: cpu_ticks(p) for p in watched}
        if not all(alive(p) for p in watched):
            raise BenchError(f"{run.label}: a process ended during the idle window")
        cpu = {p: 100.0 * (c1[p] - c0[p]) / CLK_TCK / (t1 - t0) for p in watched}
        rss = [vm_rss_kb(p) / 1024 for p in pids]
        pss = [pss_kb(p) / 1024 for p in pids]
        launcher_rss = vm_rss_kb(run.pid) / 1024
        # Still idle? No beat may have committed inside the window.
        extra = [l for l in run.all_lines if "committed" in l]
        if len(extra) > 1:
            raise BenchError(f"{run.label}: a second beat committed during the idle window")
        run.terminate()
        return {"rss": rss, "pss": pss, "cpu": [cpu[p] for p in pids], "launcher_cpu": cpu[run.pid],
                "launcher_rss": launcher_rss}
    finally:
        run.kill_everything()


def whole_game(argv, cwd, label, timeout):
    """Wall time spawn→exit, and spawn→all-Up, all-Up→last man, last man→exit from the stamps."""
    run = Run(argv, cwd=cwd, label=label)
    try:
        deadline = time.time() + timeout
        up = last = None
        while True:
            ev = run.next_event(deadline)
            if ev is None:
                break
            if up is None and UP_RE.match(ev[3]):
                up = ev[1]
            elif last is None and LAST_RE.match(ev[3]):
                last = ev[1]
        rc = run.wait_exit(30)
        if rc != 0:
            raise BenchError(f"{label}: exit code {rc}; last lines:\n  " + "\n  ".join(run.all_lines[-15:]))
        wall = run.t_exit - run.t_spawn
        phases = None
        if up is not None and last is not None:
            phases = (up - run.t_spawn, last - up, run.t_exit - last)
        return wall, phases
    finally:
        run.kill_everything()


# --------------------------------------------------------------------------------------------
# Report

def fmt(v, unit, digits=2):
    return f"{v:.{digits}f} {unit}".strip()


def stats_cells(values, unit, digits=2):
    if len(values) == 1:
        return ["", fmt(values[0], unit, digits), ""]
    return [fmt(min(values), unit, digits), fmt(statistics.median(values), unit, digits),
            fmt(max(values), unit, digits)]


def print_table(rows):
    head = ["figure", "runs", "min", "median", "max", "goal", "met"]
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(head, widths)))
    print(line)
    for r in rows:
        cells = [str(c).ljust(w) if i in (0, 5, 6) else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(cells).rstrip())
    print(line)


def verdict(value, limit, strict=False):
    ok = value < limit if strict else value <= limit
    return "yes" if ok else "NO"


def load1():
    return open("/proc/loadavg").read().split()[0]


def attempt(failures, label, fn, *a):
    """Runs one measurement; a failed run is reported (with its log) instead of ending the benchmark."""
    try:
        return fn(*a)
    except BenchError as e:
        first = str(e).splitlines()[0]
        failures.append(f"{label}: {first}")
        log(f"   FAILED {label}: {e}")
        return None


def main():
    global LOG_DIR
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one run of each figure")
    ap.add_argument("--no-build", action="store_true", help="use the existing Release build")
    ap.add_argument("--logs", help="directory for every run's output (default: a new one under /tmp)")
    args = ap.parse_args()
    repeats = 1 if args.quick else 3

    started = time.time()
    load = open("/proc/loadavg").read().split()[:3]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except Exception:
        commit = "?"
    LOG_DIR = args.logs or tempfile.mkdtemp(prefix="cowboys-bench-logs-")
    os.makedirs(LOG_DIR, exist_ok=True)
    print(f"Cowboys benchmark  {datetime.datetime.now().isoformat(timespec='seconds')}  commit {commit}  "
          f"{'quick' if args.quick else 'full'}")
    print(f"nproc {os.cpu_count()}   load average at start {' '.join(load)} (1/5/15 min; "
          "other work on this machine skews every figure)")
    print(f"each run's output: {LOG_DIR}")
    print(flush=True)

    if not args.no_build:
        build()
    elif not os.access(APPHOST, os.X_OK):
        raise BenchError(f"no Release build at {APPHOST}: run without --no-build")

    rows, notes, failures, loads = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="cowboys-bench-") as tmp:
        # 1. launch -> all-Up
        loads.append(f"fig 1 {load1()}")
        log(f"1. launch -> all-Up, N=5 x{repeats}, N=20 x1 (--beat 1m, SIGTERM once all are up)")
        up5 = [v for v in (attempt(failures, f"all-Up N=5 run {i + 1}", launch_to_up, tmp, 5, 100 + i, 60)
                           for i in range(repeats)) if v is not None]
        log(f"   N=5: {', '.join(f'{v:.2f}' for v in up5)} s")
        if up5:
            rows.append(["launch -> all-Up, N=5", len(up5), *stats_cells(up5, "s"), "<= 2 s",
                         verdict(statistics.median(up5), 2)])
        else:
            rows.append(["launch -> all-Up, N=5", 0, "", "FAILED", "", "<= 2 s", "NO"])
        up20 = attempt(failures, "all-Up N=20", launch_to_up, tmp, 20, 200, 120)
        if up20 is not None:
            log(f"   N=20: {up20:.2f} s")
            rows.append(["launch -> all-Up, N=20", 1, *stats_cells([up20], "s"), "", ""])
        else:
            rows.append(["launch -> all-Up, N=20", 0, "", "FAILED", "", "", ""])

        # 2. ring round trip
        for n, health in ((5, 300), (20, 150)):
            loads.append(f"fig 2 N={n} {load1()}")
            log(f"2. ring round trip, N={n}, every cowboy health {health} damage 1, --beat 0")
            got = attempt(failures, f"ring N={n}", ring, tmp, n, health, 300 + n, 90)
            if got is None:
                rows.append([f"ring round trip, N={n}", 0, "", "FAILED", "", "<= 1 ms" if n == 5 else "", ""])
                continue
            rtts, wall = got
            log(f"   {len(rtts)} beats in {wall:.1f} s")
            warm = rtts[50:]
            for label, vals in ((f"all {len(rtts)} beats", rtts), (f"beats 51-{len(rtts)}", warm)):
                if not vals:
                    continue
                p50 = pct(vals, 50)
                goal = ("<= 1 ms", verdict(p50, 1)) if n == 5 else ("", "")
                rows.append([f"ring p50, N={n}, {label}", 1, "", fmt(p50, "ms", 3), "", *goal])
                rows.append([f"ring p99, N={n}, {label}", 1, "", fmt(pct(vals, 99), "ms", 3), "", "", ""])
            notes.append(f"ring N={n}: {len(rtts)} beats, game {wall:.1f} s spawn to exit, first beat "
                         f"{rtts[0]:.3f} ms, slowest {max(rtts):.3f} ms, fastest {min(rtts):.3f} ms")

        # 6 (issue 3). leader failover
        loads.append(f"fig 6 {load1()}")
        log(f"6. SIGKILL of the leader's host (--chaos 1, --beat 200ms) -> next committed beat, N=5 x{repeats}")
        fo = [v for v in (attempt(failures, f"failover run {i + 1}", failover, tmp, 5, 600 + i, 120)
                          for i in range(repeats)) if v is not None]
        if fo:
            log(f"   {', '.join(f'{v:.2f}' for v in fo)} s")
            rows.append(["leader host killed -> beats resume, N=5", len(fo), *stats_cells(fo, "s"), "<= 5 s",
                         verdict(statistics.median(fo), 5)])
        else:
            rows.append(["leader host killed -> beats resume, N=5", 0, "", "FAILED", "", "<= 5 s", "NO"])

        # 6b (issue 8). a frozen leader: the others replace it while it sleeps
        loads.append(f"fig 6b {load1()}")
        log(f"6b. SIGSTOP of the leader's host (--pause 1, --beat 200ms) -> next committed beat, N=5 x{repeats}")
        fz = [v for v in (attempt(failures, f"frozen-leader run {i + 1}", failover, tmp, 5, 700 + i, 120, "--pause", PAUSE_RE)
                          for i in range(repeats)) if v is not None]
        rows.append(["leader host frozen -> beats resume, N=5", len(fz), *(stats_cells(fz, "s") if fz else ["", "FAILED", ""]), "<= 5 s",
                     verdict(statistics.median(fz), 5) if fz else "NO"])

        # 3 + 4. memory and idle CPU
        loads.append(f"fig 3+4 {load1()}")
        log("3+4. memory and idle CPU of the cowboys, N=5, --beat 1m, a 10 s window from 15 s after beat 1")
        res = attempt(failures, "memory/idle CPU", idle_resources, tmp, 5, 400, 10.0, 60)
        if res:
            log(f"   RSS {', '.join(f'{v:.0f}' for v in res['rss'])} MB; "
                f"CPU {', '.join(f'{v:.2f}' for v in res['cpu'])} %")
            rows.append(["cowboy VmRSS (5 processes)", 1, "", fmt(statistics.median(res["rss"]), "MB", 1),
                         fmt(max(res["rss"]), "MB", 1), "<= 80 MB", verdict(max(res["rss"]), 80)])
            rows.append(["cowboy Pss (5 processes)", 1, "", fmt(statistics.median(res["pss"]), "MB", 1),
                         fmt(max(res["pss"]), "MB", 1), "", ""])
            rows.append(["cowboy idle CPU, % of a core", 1, "", fmt(statistics.median(res["cpu"]), "%"),
                         fmt(max(res["cpu"]), "%"), "< 2 %", verdict(max(res["cpu"]), 2, strict=True)])
            notes.append(f"the launcher (play) process in the same window: VmRSS {res['launcher_rss']:.1f} MB, "
                         f"CPU {res['launcher_cpu']:.2f} % of a core")
        else:
            rows.append(["cowboy memory and idle CPU", 0, "", "FAILED", "", "<= 80 MB, < 2 %", "NO"])

        # 5. the sample's whole game
        loads.append(f"fig 5 {load1()}")
        log(f"5. the sample's game, --beat 0, {repeats} seeds, then once via dotnet run")
        walls, phases = [], []
        for i in range(repeats):
            got = attempt(failures, f"sample seed {i + 1}", whole_game, play(SAMPLE, "0", i + 1), REPO,
                          f"sample seed {i + 1}", 120)
            if got is None:
                continue
            walls.append(got[0])
            if got[1]:
                phases.append(got[1])
            log(f"   seed {i + 1}: {got[0]:.2f} s")
        if walls:
            rows.append(["sample game --beat 0, spawn -> exit", len(walls), *stats_cells(walls, "s"), "<= 3 s",
                         verdict(statistics.median(walls), 3)])
            for k, name in enumerate(("  of which spawn -> all-Up", "  of which all-Up -> last man",
                                      "  of which last man -> exit")):
                if phases:
                    rows.append([name, len(phases), *stats_cells([p[k] for p in phases], "s"), "", ""])
        else:
            rows.append(["sample game --beat 0, spawn -> exit", 0, "", "FAILED", "", "<= 3 s", "NO"])
        got = attempt(failures, "dotnet run", whole_game,
                      ["dotnet", "run", "--project", "Cowboys.Host", "--", "play", "--beat", "0", "--seed", "1"],
                      REPO, "dotnet run play", 300)
        if got:
            log(f"   dotnet run: {got[0]:.2f} s")
            rows.append(["sample via `dotnet run` (Debug, build check)", 1, "", fmt(got[0], "s"), "", "", ""])
        else:
            rows.append(["sample via `dotnet run`", 0, "", "FAILED", "", "", ""])

    print()
    print_table(rows)
    for n in notes:
        print(f"note: {n}")
    print("note: percentiles are nearest-rank; 'met' compares the median (the max for memory and CPU) "
          "with the goal")
    print(f"1-min load average as each figure started: {'; '.join(loads)}; at the end {load1()}")
    for f in failures:
        print(f"FAILED {f}")
    print(f"benchmark took {time.time() - started:.0f} s; each run's output is in {LOG_DIR}")
    return 1 if failures else 0


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
