/**
 * A file of the data directory that cannot be used: not a database, damaged, a directory, not
 * openable, or written by a newer server. The start stops naming the file and the variable
 * (WANGLAI_DATA_DIR), not with a stack trace; nothing in the file is touched.
 */
export class DataFileError extends Error {
  override name = 'DataFileError';

  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`WANGLAI_DATA_DIR: ${file} cannot be used: ${problem}`);
  }
}

/** What an error from opening a file says, its code first (SQLITE_NOTADB, EISDIR, EPERM). */
export function problemOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return code === undefined || error.message.includes(code) ? error.message : `${error.message} (${code})`;
}

/** Runs `open`; whatever it throws becomes a DataFileError naming `file` (one already naming a file passes as it is). */
export function openingDataFile<T>(file: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    throw new DataFileError(file, problemOf(error));
  }
}
