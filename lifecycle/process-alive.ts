/** Whether a process with this ID is running (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    return process.kill(pid, 0);
  } catch {
    return false;
  }
}
