/**
 * The in-page half of scenario 6, as plain JavaScript source: installed with addInitScript and
 * called by name, so that nothing the TypeScript toolchain adds to functions reaches the page.
 *
 * - switchTo: clicks a conversation and resolves at the first animation frame after the newest
 *   message's row is in the DOM and inside the list's viewport (i.e. when it is painted).
 * - watch: records animation-frame gaps and long tasks (PerformanceObserver 'longtask') for a
 *   time, optionally scrolling the message list up by a step every frame; the worst long
 *   animation frame (with the scripts that made it long) comes back for the log.
 */
export const PROBE_SOURCE = String.raw`
(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  // Long animation frames say which scripts made a frame long: the log names the worst one.
  const longFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const scripts = (entry.scripts || []).filter((s) => s.duration >= 5).map((s) => ({
          what: (s.invoker || s.invokerType || '?') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : ''),
          ms: Math.round(s.duration),
          forcedLayoutMs: Math.round(s.forcedStyleAndLayoutDuration || 0),
        }));
        longFrames.push({ start: entry.startTime, duration: entry.duration, blockingMs: entry.blockingDuration, renderMs: entry.renderStart ? Math.max(0, entry.startTime + entry.duration - entry.renderStart) : 0, scripts });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) {}
  const visibleIn = (row, list) => {
    const r = row.getBoundingClientRect();
    const l = list.getBoundingClientRect();
    return r.height > 0 && r.bottom > l.top && r.top < l.bottom;
  };
  window.__wanglaiBench = {
    switchTo(conversationId, seq, timeoutMs) {
      const item = document.querySelector('[data-testid="conversation-item"][data-conversation-id="' + conversationId + '"]');
      if (!item) return Promise.reject(new Error('no conversation item ' + conversationId));
      const started = performance.now();
      item.click();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (performance.now() - started > timeoutMs) { reject(new Error('row ' + seq + ' never painted')); return; }
          const list = document.querySelector('[data-testid="message-list"]');
          const pane = document.querySelector('[data-testid="chat-pane"]');
          const row = list && list.querySelector('[data-testid="message-row"][data-seq="' + seq + '"]');
          if (pane && pane.getAttribute('data-conversation-id') === conversationId && row && visibleIn(row, list)) {
            requestAnimationFrame(() => resolve(performance.now() - started));
            return;
          }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    },
    watch(durationMs, scrollStepPx) {
      const list = document.querySelector('[data-testid="message-list"]');
      const started = performance.now();
      const gaps = [];
      return new Promise((resolve) => {
        let last = started;
        const frame = (now) => {
          gaps.push(now - last);
          last = now;
          if (scrollStepPx && list) {
            let target = list;
            for (let el = list; el; el = el.firstElementChild) { if (el.scrollHeight > el.clientHeight + 1) { target = el; break; } }
            target.scrollTop = Math.max(0, target.scrollTop - scrollStepPx);
          }
          if (now - started < durationMs) { requestAnimationFrame(frame); return; }
          const tasks = longTasks.filter((t) => t.start >= started);
          const frames = longFrames.filter((f) => f.start >= started).sort((a, b) => b.duration - a.duration);
          resolve({
            frames: gaps.length,
            over16: gaps.filter((g) => g > 16.7).length,
            worstFrameMs: Math.max(0, ...gaps),
            longTasks: tasks.length,
            worstLongTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
            worstLongFrame: frames[0] ? JSON.stringify(frames[0]) : null,
          });
        };
        requestAnimationFrame(frame);
      });
    },
  };
})();
`;
