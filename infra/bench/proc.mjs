// CPU and memory of the processes under test, read from /proc (Linux only).
//
// CPU is utime + stime, differenced over a measurement window and expressed in % of one core
// (200 % = both cores of a 2-core machine busy). A process that starts inside the window counts
// from zero; one that exits inside it counts up to its last sample (samples are taken every
// second). Memory is the largest resident set seen during the window: VmRSS for one process,
// and for Postgres, whose processes share their buffers, the sum of proportional set sizes (Pss)
// when /proc lets us read them, so shared memory is not counted once per process.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { round } from './stats.mjs';

const CLOCK_TICKS = clockTicks();
const SAMPLE_INTERVAL_MS = 1000;

function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime and the start time of a process, in clock ticks; undefined once it is gone. */
function readStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14, stime 15, starttime 22.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { cpu: Number(fields[11]) + Number(fields[12]), start: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

function readKb(file, key) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const rssKb = (pid) => readKb(`/proc/${pid}/status`, 'VmRSS') ?? 0;
const pssKb = (pid) => readKb(`/proc/${pid}/smaps_rollup`, 'Pss') ?? rssKb(pid);

function uptimeTicks() {
  return Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * CLOCK_TICKS;
}

/** Busy ticks of the whole machine (every process, ours or not), from /proc/stat. */
function machineBusyTicks() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user + nice + system + irq + softirq + steal;
}

export const readCmdline = (pid) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
};

const numericEntries = () => fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));

/**
 * The Postgres server's own processes (postmaster, checkpointer, WAL writer…) and its backends
 * connected to `database`; backends of other databases (another checkout's tests) are left out.
 */
export function postgresPids(database) {
  const pids = [];
  for (const entry of numericEntries()) {
    let comm;
    try {
      comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== 'postgres') continue;
    // A backend's title is "postgres: [cluster: ]user database host(port) state".
    const backend = /^postgres: (?:\S+: )?(\S+) (\S+) (?:\S+\(\d+\)|\[local\])/.exec(
      readCmdline(entry),
    );
    if (!backend || backend[2] === database) pids.push(Number(entry));
  }
  return pids;
}

/** The pid of the Java broker listening on `port` (started by infra/kafka/kafka.sh). */
export function kafkaPid(port) {
  for (const entry of numericEntries()) {
    const cmdline = readCmdline(entry);
    if (cmdline.includes('kafka.Kafka') && cmdline.includes(`data-${port}/server.properties`)) {
      return Number(entry);
    }
  }
  return undefined;
}

/**
 * Measures a set of named targets over a window. A target is `{ name, pids: () => number[],
 * shared?: boolean }`; `pids` is asked again at every sample, so processes may come and go.
 */
export class ProcessSampler {
  /** @param {{ name: string, pids: () => (number | undefined)[], shared?: boolean }[]} targets */
  constructor(targets) {
    this.targets = targets;
    // Set again by start(), which opens the window.
    this.startedAt = 0;
    this.windowStart = 0;
    this.machineStart = 0;
    /** @type {Map<string, number>} CPU ticks of each process at the window's start */
    this.first = new Map();
    /** @type {Map<string, number>} the same at the latest sample */
    this.last = new Map();
    /** @type {Map<string, number>} */
    this.peakKb = new Map();
    /** @type {Set<string>} */
    this.seen = new Set();
    /** @type {NodeJS.Timeout | undefined} */
    this.timer = undefined;
  }

  start() {
    this.startedAt = performance.now();
    this.windowStart = uptimeTicks();
    this.machineStart = machineBusyTicks();
    this.first = new Map();
    this.last = new Map();
    this.peakKb = new Map(this.targets.map((t) => [t.name, 0]));
    this.seen = new Set();
    this.sample();
    this.timer = setInterval(() => {
      this.sample();
    }, SAMPLE_INTERVAL_MS);
    this.timer.unref();
    return this;
  }

  sample() {
    for (const target of this.targets) {
      let kb = 0;
      for (const pid of target.pids().filter(Boolean)) {
        const stat = readStat(pid);
        if (!stat) continue;
        const key = `${target.name}:${pid}`;
        this.seen.add(target.name);
        if (!this.first.has(key))
          this.first.set(key, stat.start >= this.windowStart ? 0 : stat.cpu);
        this.last.set(key, stat.cpu);
        kb += target.shared ? pssKb(pid) : rssKb(pid);
      }
      this.peakKb.set(target.name, Math.max(this.peakKb.get(target.name) ?? 0, kb));
    }
  }

  /**
   * `{ seconds, cpu_pct: {name: %}, rss_mb: {name: MB}, machine_cpu_pct, other_cpu_pct }`, for
   * the targets that had a process during the window.
   */
  stop() {
    this.sample();
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const names = this.targets.map((t) => t.name).filter((name) => this.seen.has(name));
    const ticks = new Map(names.map((name) => [name, 0]));
    for (const [key, last] of this.last) {
      const name = key.slice(0, key.lastIndexOf(':'));
      ticks.set(name, (ticks.get(name) ?? 0) + (last - (this.first.get(key) ?? 0)));
    }
    const pct = (t) => (t / CLOCK_TICKS / seconds) * 100;
    const cpu = Object.fromEntries([...ticks].map(([name, t]) => [name, round(pct(t))]));
    const ours = [...ticks.values()].reduce((a, b) => a + b, 0);
    const machine = machineBusyTicks() - this.machineStart;
    return {
      seconds: round(seconds),
      cpu_pct: cpu,
      cpu_seconds: round(ours / CLOCK_TICKS, 2),
      rss_mb: Object.fromEntries(
        names.map((name) => [name, round((this.peakKb.get(name) ?? 0) / 1024)]),
      ),
      // Everything the machine did, and the part of it that was not ours (another program).
      machine_cpu_pct: round(pct(machine)),
      other_cpu_pct: round(Math.max(0, pct(machine - ours))),
    };
  }
}
