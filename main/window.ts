import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { z } from 'zod';

export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;
const DEFAULT_WIDTH = 1100;
const DEFAULT_HEIGHT = 760;

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

/**
 * Every security flag is spelled out rather than left to defaults, so that a reader (and the
 * test) can see the window runs the renderer sandboxed, isolated and without Node.
 */
export function windowOptions(preloadPath: string, state: WindowState | undefined, platform: NodeJS.Platform): BrowserWindowConstructorOptions {
  const bounds = state?.bounds;
  return {
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds?.width ?? DEFAULT_WIDTH,
    height: bounds?.height ?? DEFAULT_HEIGHT,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'Wanglai',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Only macOS checks spelling with the system's own spellchecker. On Linux, and on Windows
      // for languages its own checker lacks, Chromium downloads Hunspell dictionaries from
      // Google's servers: a third-party request the app never makes (DESIGN.md §3.9). This flag
      // alone does not stop the download: lifecycle.ts turns the session's checker off too.
      spellcheck: platform === 'darwin',
    },
  };
}

const sizeSchema = z.int().min(1).max(100_000);
const coordinateSchema = z.int().min(-100_000).max(100_000);
const stateSchema = z.object({
  bounds: z.object({ x: coordinateSchema, y: coordinateSchema, width: sizeSchema, height: sizeSchema }),
  maximized: z.boolean(),
});

/**
 * The remembered window state, or undefined when the file is missing or not what we wrote.
 * The size is kept within [minimum, work area]; a position that lies on no display is dropped
 * so that the window cannot open off-screen after a monitor was unplugged.
 */
export async function loadWindowState(file: string, workAreas: readonly Rectangle[]): Promise<WindowState | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  const result = stateSchema.safeParse(parsed);
  if (!result.success) return undefined;
  return fitToDisplays(result.data, workAreas);
}

export function fitToDisplays(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  const largest = workAreas.reduce<Rectangle | undefined>((a, b) => (a === undefined || b.width * b.height > a.width * a.height ? b : a), undefined);
  const maxWidth = Math.max(MIN_WIDTH, largest?.width ?? state.bounds.width);
  const maxHeight = Math.max(MIN_HEIGHT, largest?.height ?? state.bounds.height);
  const width = clamp(state.bounds.width, MIN_WIDTH, maxWidth);
  const height = clamp(state.bounds.height, MIN_HEIGHT, maxHeight);
  const bounds = { x: state.bounds.x, y: state.bounds.y, width, height };
  const visible = workAreas.some((area) => overlap(bounds, area) >= 100 * 100);
  if (visible) return { bounds, maximized: state.maximized };
  const home = workAreas[0];
  const centred = home
    ? { x: home.x + Math.max(0, Math.floor((home.width - width) / 2)), y: home.y + Math.max(0, Math.floor((home.height - height) / 2)), width, height }
    : bounds;
  return { bounds: centred, maximized: state.maximized };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // A temporary file of each write's own: a save on close can overlap one after a move, and two
  // writers of one name rename the same file twice (the second fails with ENOENT).
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The window surface the state tracking needs; a real BrowserWindow satisfies it. */
export interface TrackedWindow {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/**
 * Writes the state on close and, debounced, while the user moves or resizes, so that a crash
 * loses at most a second of it.
 */
export function trackWindowState(window: TrackedWindow, file: string, onError: (error: unknown) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const capture = (): WindowState => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  const write = (): void => {
    timer = undefined;
    if (window.isDestroyed()) return;
    saveWindowState(file, capture()).catch(onError);
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(write, 1000);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, schedule);
  window.on('close', () => {
    if (timer !== undefined) clearTimeout(timer);
    write();
  });
}
