'use client';
// Keyboard shortcuts: single keys act only when focus is not in a text field; Ctrl/Cmd+Enter
// acts everywhere.
import { useEffect, useRef } from 'react';

export type KeyMap = Record<string, (e: KeyboardEvent) => void>;

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable || (tag === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes((el as HTMLInputElement).type));
}

/** keys: "mod+enter", "?", "g", "alt+arrowup", … (lowercase). */
export function useKeys(map: KeyMap) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const combo = `${mod ? 'mod+' : ''}${e.altKey ? 'alt+' : ''}${e.shiftKey && key.length > 1 ? 'shift+' : ''}${key}`;
      const fn = ref.current[combo];
      if (!fn) return;
      if (!mod && !e.altKey && typing(e.target)) return;
      if (document.querySelector('dialog[open]') && combo !== 'escape' && !mod && combo !== '?' && combo !== 'g') return;
      e.preventDefault();
      fn(e);
    };
    window.addEventListener('keydown', onKey, true); // capture: before widgets (e.g. a drag handle) act on the key
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
