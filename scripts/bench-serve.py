#!/usr/bin/env python3
"""Benchmark of `smdr serve` (issue 4 goals), on loopback, against a release build.

Measures, in one run:
  1. committed lines/s with 1, 10 and 100 connections (replay of generated captures until
     smdr_lines_loaded_total has grown by the number of lines sent), next to `psql \\copy` of
     the same lines into a one-text-column table as the reference;
  2. p50/p99 latency from send to committed row at 1,000 lines/s over one connection
     (the committed count is read from /metrics every 5 ms);
  3. peak RSS of the server with 1,000 idle connections open.
With each throughput figure it prints the CPU time per line of `smdr serve` and of all
PostgreSQL processes, and the rate those would allow if every core were busy.

Usage: scripts/bench-serve.py [--lines N] [--latency-seconds S]
SMDR_BIN=/path/to/smdr measures another build (before/after comparisons in the same run).
Uses the embedded PostgreSQL in a temporary data directory (no PG* variables needed).
"""
import argparse, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMDR = os.environ.get("SMDR_BIN") or os.path.join(ROOT, ".build", "release", "smdr")


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def loaded(admin):
    text = urllib.request.urlopen(f"http://{admin}/metrics", timeout=5).read().decode()
    match = re.search(r'smdr_lines_loaded_total\{site="bench",result="new"\} (\d+)', text)
    return int(match.group(1)) if match else 0


def cpu_seconds(pids):
    """User + system CPU time of the processes (those that have exited since are not counted)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def postgres_pids(data):
    """The embedded cluster's postmaster and its children (not other clusters on the machine)."""
    with open(os.path.join(data, "postgres", "postmaster.pid")) as pidfile:
        postmaster = int(pidfile.readline())
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == postmaster:  # field 4: ppid
                        pids.append(int(entry))
            except (OSError, ValueError):
                pass
    return pids


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--latency-seconds", type=int, default=20)
    options = parser.parse_args()
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(8192, hard), hard))  # 1,000 idle sockets here and in the server
    if not os.access(SMDR, os.X_OK):
        sys.exit(f"{SMDR} missing: run `swift build -c release --product smdr` first")

    data = tempfile.mkdtemp(prefix="smdr-bench-")
    os.chmod(data, 0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k not in ("SMDR_DATABASE",)}
    env["SMDR_DATA"] = data
    server = None
    try:
        run(SMDR, "migrate", env=env)
        run(SMDR, "site", "add", "bench", "--time-zone", "Europe/London", "--allow", "127.0.0.1", env=env)
        port, admin = 15100, "127.0.0.1:19464"
        server = subprocess.Popen(
            [SMDR, "serve", "--listen", f"127.0.0.1:{port}", "--admin", admin, "--max-connections", "2000"],
            env=env, stderr=subprocess.PIPE, text=True)
        for line in server.stderr:
            if "smdr serve ready" in line:
                break
        # Drain the server's log so it never blocks on a full pipe.
        import threading
        threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()

        print(f"# smdr serve benchmark, {options.lines} lines per run, {os.cpu_count()} cores")
        reference = None
        for connections in (1, 10, 100):
            capture = os.path.join(data, f"capture-{connections}.smdr")
            with open(capture, "wb") as out:
                subprocess.run([SMDR, "generate", "--lines", str(options.lines), "--seed", str(1000 + connections)],
                               stdout=out, check=True)
            if reference is None:
                psql = ["psql", "-X", "-q", "-h", os.path.join(data, "postgres"), "-U", "postgres", "-d", "smdr"]
                subprocess.run(psql + ["-c", "DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (line text)"],
                               check=True, env=env, capture_output=True)
                started = time.monotonic()
                subprocess.run(psql + ["-c", f"\\copy bench_copy FROM '{capture}' WITH (FORMAT text)"],
                               check=True, env=env, capture_output=True)
                reference = options.lines / (time.monotonic() - started)
                print(f"psql \\copy reference: {reference:,.0f} lines/s")
            before = loaded(admin)
            database = postgres_pids(data)
            server_cpu, database_cpu = cpu_seconds([server.pid]), cpu_seconds(database)
            started = time.monotonic()
            run(SMDR, "replay", capture, "--to", f"127.0.0.1:{port}", "--connections", str(connections))
            while loaded(admin) < before + options.lines:
                time.sleep(0.01)
            rate = options.lines / (time.monotonic() - started)
            server_us = (cpu_seconds([server.pid]) - server_cpu) / options.lines * 1e6
            database_us = (cpu_seconds(database) - database_cpu) / options.lines * 1e6
            ceiling = os.cpu_count() / (server_us + database_us) * 1e6
            print(f"{connections:>3} connections: {rate:,.0f} committed lines/s ({rate / reference:.2f}x psql \\copy); "
                  f"CPU per line: smdr serve {server_us:.1f} us, PostgreSQL {database_us:.1f} us "
                  f"(at most {ceiling:,.0f} lines/s on {os.cpu_count()} cores)")

        # Latency at 1,000 lines/s.
        count = options.latency_seconds * 1000
        capture = os.path.join(data, "latency.smdr")
        with open(capture, "wb") as out:
            subprocess.run([SMDR, "generate", "--lines", str(count), "--seed", "4242"], stdout=out, check=True)
        with open(capture, "rb") as source:
            lines = source.read().split(b"\r\n")[:count]
        base = loaded(admin)
        sent = [0.0] * count
        committed = [None] * count
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        started = time.monotonic()
        next_index = 0
        seen = 0
        while seen < count:
            now = time.monotonic()
            due = min(count, int((now - started) * 1000) + 1)
            while next_index < due:
                sock.sendall(lines[next_index] + b"\r\n")
                sent[next_index] = time.monotonic()
                next_index += 1
            total = loaded(admin) - base
            stamp = time.monotonic()
            while seen < min(total, count):
                committed[seen] = stamp
                seen += 1
            time.sleep(0.005)
        sock.close()
        latencies = sorted((committed[i] - sent[i]) * 1000 for i in range(count))
        p50 = latencies[len(latencies) // 2]
        p99 = latencies[int(len(latencies) * 0.99)]
        print(f"latency at 1,000 lines/s over {options.latency_seconds} s: p50 {p50:.0f} ms, p99 {p99:.0f} ms (send to committed row)")

        # RSS with 1,000 idle connections.
        idle = []
        for _ in range(1000):
            idle.append(socket.create_connection(("127.0.0.1", port)))
        time.sleep(3)
        rss, peak = rss_kb(server.pid)
        print(f"RSS with 1,000 idle connections: {rss / 1024:.0f} MB (peak during the whole run {peak / 1024:.0f} MB)")
        for s in idle:
            s.close()
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=120)
        subprocess.run([SMDR, "db", "stop"], env=env, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
