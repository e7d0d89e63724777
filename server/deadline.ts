/** Waits for a task, but no longer than `ms`; the timer never keeps a process alive on its own. */
export function withDeadline(task: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void task.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
