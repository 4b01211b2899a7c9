/**
 * Whether a process with this id exists: signal 0 checks without sending anything, and EPERM
 * means it exists but belongs to someone else. Used by the locks, the durable writer's sweep of
 * a killed writer's temporary files, and the credential-replacement journal.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
