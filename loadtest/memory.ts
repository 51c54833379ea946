/**
 * Memory of the simulated students, sampled from /proc (the hub is on this machine): every
 * process whose environment has JUPYTERHUB_USER=<one of our students> is that student's server
 * or one of its kernels (kernels inherit the server's environment). Also the machine's
 * MemAvailable, to see what the class costs as a whole.
 */
import * as fs from 'fs';

const PAGE = 4096;

function read(path: string): string | undefined {
  try { return fs.readFileSync(path, 'latin1'); } catch { return undefined; }
}

function memAvailableMB(): number {
  const m = /MemAvailable:\s+(\d+) kB/.exec(read('/proc/meminfo') ?? '');
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface MemorySummary {
  /** largest RSS any one kernel reached */
  peakRssPerKernelMB: number | null;
  /** mean over kernels of each kernel's peak RSS */
  meanPeakRssPerKernelMB: number | null;
  /** largest sum (server + kernels) any one student reached */
  peakRssPerStudentMB: number | null;
  /** MemAvailable at the start minus its lowest value during the run */
  machineMemUsedMB: number;
  kernelsSeen: number;
}

export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private kernelPeak = new Map<number, number>();
  private studentPeak = new Map<string, number>();
  private readonly baseAvail = memAvailableMB();
  private minAvail = this.baseAvail;

  constructor(private readonly users: Set<string>, private readonly everyMs = 500) {}

  start() { this.sample(); this.timer = setInterval(() => this.sample(), this.everyMs); this.timer.unref(); }

  stop(): MemorySummary {
    clearInterval(this.timer);
    this.sample();
    const k = [...this.kernelPeak.values()];
    const s = [...this.studentPeak.values()];
    const mb = (b: number) => Math.round(b / 2 ** 20);
    return {
      peakRssPerKernelMB: k.length ? mb(Math.max(...k)) : null,
      meanPeakRssPerKernelMB: k.length ? mb(k.reduce((a, b) => a + b, 0) / k.length) : null,
      peakRssPerStudentMB: s.length ? mb(Math.max(...s)) : null,
      machineMemUsedMB: Math.round(this.baseAvail - this.minAvail),
      kernelsSeen: k.length,
    };
  }

  private sample() {
    this.minAvail = Math.min(this.minAvail, memAvailableMB());
    const perStudent = new Map<string, number>();
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const environ = read(`/proc/${d}/environ`);
      if (!environ) continue;
      const user = /(?:^|\0)JUPYTERHUB_USER=([^\0]*)/.exec(environ)?.[1];
      if (!user || !this.users.has(user)) continue;
      const statm = read(`/proc/${d}/statm`);
      if (!statm) continue;
      const rss = Number(statm.split(' ')[1]) * PAGE;
      perStudent.set(user, (perStudent.get(user) ?? 0) + rss);
      if ((read(`/proc/${d}/cmdline`) ?? '').includes('kernel.js')) {
        const pid = Number(d);
        this.kernelPeak.set(pid, Math.max(this.kernelPeak.get(pid) ?? 0, rss));
      }
    }
    for (const [u, v] of perStudent) this.studentPeak.set(u, Math.max(this.studentPeak.get(u) ?? 0, v));
  }
}
