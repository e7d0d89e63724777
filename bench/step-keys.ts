/**
 * Message keys of one load step: unique to the step (a late answer from an earlier step is
 * ignored), mapping back to the index of the scheduled send in O(1), and ordered in time as the
 * web client's clientIds are (client-id.ts): the index in fixed-width digits, so that a later
 * send's key sorts after an earlier one's.
 */
let stepCounter = 0;

export interface StepKeys {
  key(index: number): string;
  /** The index a key stands for, or -1 when the key is not this step's. */
  indexOf(key: string): number;
}

export function stepKeys(namespace: string, total: number): StepKeys {
  const prefix = `${namespace}${process.pid.toString(36)}${(stepCounter++).toString(36)}-`;
  const width = String(Math.max(0, total - 1)).length;
  return {
    key: (index) => `${prefix}${String(index).padStart(width, '0')}`,
    indexOf: (key) => {
      if (!key.startsWith(prefix)) return -1;
      const index = Number(key.slice(prefix.length));
      return Number.isInteger(index) && index >= 0 && index < total ? index : -1;
    },
  };
}
