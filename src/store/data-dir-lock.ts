import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: two processes on one data directory would corrupt it. A
 * lock file with our pid keeps a second one out; a lock left by a process that died (kill -9)
 * is taken over, since that process can no longer write.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'integration-planner.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new AppError(
          'CONFIG_INVALID',
          `The data directory ${dataDir} is in use by process ${owner}. Stop it, or set DATABASE_URL to share a Postgres database.`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new AppError('CONFIG_INVALID', `Could not lock the data directory ${dataDir}.`);
}
