import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Jdk {
  home: string;
  major: number;
}

function javaMajor(home: string): number | null {
  const java = join(home, 'bin', 'java');
  if (!existsSync(java)) return null;
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
  if (!m) return null;
  const first = Number(m[1]);
  return first === 1 ? Number(m[2]) : first;
}

/** Every JDK under /usr/lib/jvm (and JAVA_HOME), newest first. */
export function findJdks(javaHome = process.env['JAVA_HOME']): Jdk[] {
  const homes = new Set<string>();
  if (javaHome) homes.add(javaHome);
  if (existsSync('/usr/lib/jvm')) {
    for (const d of readdirSync('/usr/lib/jvm', { withFileTypes: true })) {
      if (d.isDirectory()) homes.add(join('/usr/lib/jvm', d.name));
    }
  }
  const out: Jdk[] = [];
  for (const home of homes) {
    const major = javaMajor(home);
    if (major !== null) out.push({ home, major });
  }
  return out.sort((a, b) => b.major - a.major);
}
