#!/usr/bin/env python3
"""Service figures for docs/SERVICE.md (issue 13): not a test, a measurement.

  bench/service-bench.py [--yamnet CMD] [--model M] [--quiet-minutes 30] [--latency-seconds 240]

1. CPU per hour of 16 kHz audio on a quiet stream (uniform noise of +-10 LSB, about -75 dBFS, one meow a minute),
   with and without the level gate (--min-level -60): the stream is pushed over stdin as fast as it
   is classified (block mode) and the listener's CPU (user + system, from wait4's rusage) is divided
   by the hours of audio, after subtracting the CPU of a run on empty input (start-up: runtime, JIT,
   model load).
2. Latency to a real MQTT subscriber: a mosquitto started here on 127.0.0.1 (free port), mosquitto_sub
   stamping each message on arrival (%U), the listener fed in real time (10 ms chunks) with a meow
   scene. For each event start, the window that opened it is found from the time convention
   (window k's stretch starts at k*hop + (W - hop)/2; window 0 at 0) and latency = arrival - wall time
   at which the last sample of that window was written into the listener's stdin. p50/p95/max.
3. RSS of the running listener (VmRSS) sampled during the real-time run.

Prints one summary block (with the machine's load average) to paste into docs/SERVICE.md.
"""
import argparse, json, os, random, shlex, socket, struct, subprocess, sys, tempfile, threading, time, wave

RATE, WINDOW = 16000, 15600


def meow_samples(shared):
    with wave.open(os.path.join(shared, "audio", "meow_16k.wav")) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return w.readframes(w.getnframes())


def noise(seconds, amplitude, rng):
    n = int(seconds * RATE)
    return struct.pack("<%dh" % n, *(rng.randint(-amplitude, amplitude) for _ in range(n)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_listening(port, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("mosquitto did not start")


def probe(port, arrivals):
    """Publishes probes on the subscriber's topic until one arrives."""
    tag = "probe %f" % time.time()
    for _ in range(200):
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t", "yamnet/bench/event", "-m", tag], check=True)
        end = time.time() + 0.3
        while time.time() < end:
            if any(l.endswith(tag) for l in arrivals):
                return
            time.sleep(0.01)
    raise RuntimeError("mosquitto_sub never received a probe")


def cpu_run(cmd, stdin_bytes, extra):
    """Runs the listener over stdin; returns (cpu seconds from rusage, its stderr summary line)."""
    p = subprocess.Popen(cmd + extra, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = []
    t = threading.Thread(target=lambda: err.extend(p.stderr.read().decode().splitlines()))
    t.start()
    p.stdin.write(stdin_bytes)
    p.stdin.close()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    t.join()
    if p.returncode != 0:
        sys.exit("listener failed: " + "\n".join(err[-5:]))
    summary = next((l for l in err if "windows classified" in l), "")
    return ru.ru_utime + ru.ru_stime, summary


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--yamnet", default=os.path.join(here, "yamnet"), help="the CLI (a command line; default ./yamnet)")
    ap.add_argument("--shared", default=os.environ.get("YAMNET_SHARED_DIR", os.path.join(here, "..", "shared")))
    ap.add_argument("--model", default=None)
    ap.add_argument("--quiet-minutes", type=float, default=30)
    ap.add_argument("--latency-seconds", type=float, default=240)
    a = ap.parse_args()
    model = a.model or os.path.join(a.shared, "models", "yamnet.tflite")
    cmd = shlex.split(a.yamnet) + ["listen", "--model", model, "--input", "-", "--name", "bench", "--allow", "Cat"]
    rng = random.Random(13)
    meow = meow_samples(a.shared)

    # 1. CPU per audio hour on a quiet stream.
    minute = meow + noise(60 - len(meow) / 2 / RATE, 10, rng)  # RMS 10/sqrt(3) LSB: about -75 dBFS
    quiet = minute * int(round(a.quiet_minutes))
    hours = len(quiet) / 2 / RATE / 3600
    base, _ = cpu_run(cmd, b"", [])
    gate_off, s_off = cpu_run(cmd, quiet, [])
    gate_on, s_on = cpu_run(cmd, quiet, ["--min-level", "-60"])
    load_cpu = os.getloadavg()

    # 2./3. Latency and RSS with a real broker and subscriber, fed in real time.
    tmp = tempfile.mkdtemp(prefix="yamnet-service-bench-")
    port = free_port()
    with open(os.path.join(tmp, "mosquitto.conf"), "w") as f:
        f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
    broker = subprocess.Popen(["mosquitto", "-c", os.path.join(tmp, "mosquitto.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sub = None
    listener = None
    try:
        wait_listening(port)
        sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t", "yamnet/bench/event", "-F", "%U %p"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        arrivals = []
        reader = threading.Thread(target=lambda: [arrivals.append(l.decode().rstrip("\n")) for l in sub.stdout])
        reader.start()
        probe(port, arrivals)  # mosquitto_sub is subscribed
        listener = subprocess.Popen(cmd + ["--mqtt", f"mqtt://127.0.0.1:{port}"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        errlines = []
        errt = threading.Thread(target=lambda: [errlines.append(l.decode().rstrip("\n")) for l in listener.stderr])
        errt.start()
        while not any("connected" in l for l in errlines):
            if listener.poll() is not None:
                sys.exit("listener failed: " + "\n".join(errlines[-5:]))
            time.sleep(0.05)
        scene = meow + bytes(2 * RATE * 2)  # meow, 2 s silence
        total = int(a.latency_seconds * RATE) * 2
        stream = (scene * (total // len(scene) + 1))[:total]
        chunk = 160 * 2
        written_at = []  # wall time after writing each chunk
        rss = []
        t0 = time.monotonic()
        for i in range(0, len(stream), chunk):
            due = t0 + (i // 2) / RATE
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            listener.stdin.write(stream[i:i + chunk])
            listener.stdin.flush()
            written_at.append(time.time())
            if (i // chunk) % 500 == 0:
                with open(f"/proc/{listener.pid}/status") as f:
                    rss += [int(l.split()[1]) for l in f if l.startswith("VmRSS:")]
        load_rt = os.getloadavg()
        listener.stdin.close()
        listener.wait(60)
        errt.join()
        probe(port, arrivals)  # everything the listener published before exiting has reached mosquitto_sub
    finally:
        if sub:
            sub.terminate()
        broker.terminate()
        broker.wait(10)
    reader.join(10)
    hop = 7800  # the listener's default (overlap 0.5)
    lat = []
    for line in arrivals:
        stamp, _, payload = line.partition(" ")
        if payload.startswith("probe"):
            continue
        e = json.loads(payload)
        if e["type"] != "start":
            continue
        start = e["start_seconds"] * RATE
        k = 0 if start == 0 else round((start - (WINDOW - hop) / 2) / hop)
        last_sample = k * hop + WINDOW - 1
        lat.append(float(stamp) - written_at[last_sample // 160])
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
    mhz = ""
    try:
        mhz = next(l.split(":")[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"machine: {os.cpu_count()} cores, {mhz}; load average {load_cpu[0]:.1f} (CPU part), {load_rt[0]:.1f} (real-time part)")
    print(f"CPU on a quiet stream ({a.quiet_minutes:g} min of audio: noise of +-10 LSB (about -75 dBFS), one meow a minute), start-up {base:.2f} s subtracted:")
    print(f"  no gate:          {(gate_off - base) / hours:8.1f} CPU s per audio hour  ({s_off.strip()})")
    print(f"  --min-level -60:  {(gate_on - base) / hours:8.1f} CPU s per audio hour  ({s_on.strip()})")
    print(f"latency, end of the opening window written -> message at mosquitto_sub: {len(lat)} event starts, "
          f"p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, max {lat[-1] * 1000:.1f} ms")
    print(f"listener RSS while running in real time with MQTT: min {min(rss) / 1024:.1f} MB, max {max(rss) / 1024:.1f} MB ({len(rss)} samples)")


if __name__ == "__main__":
    main()
