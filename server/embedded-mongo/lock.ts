// `mongod.lock` in the data directory holds the owner's pid, so two servers never share one directory.
import fs from 'node:fs';
import path from 'node:path';

const LOCK = 'mongod.lock';

/** Takes the lock (taking over one left by a dead process) and returns its path. */
export function acquireLock(dir: string): string {
  const lockPath = path.join(dir, LOCK);
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
      throw new Error(
        `embedded-mongo: data directory ${dir} is already in use by process ${pid} (lock file ${lockPath})`,
      );
    }
    // The owner died without cleaning up (e.g. kill -9): the lock is stale.
    fs.rmSync(lockPath, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
