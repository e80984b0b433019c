'use client';
// Keyboard shortcuts for the labeling pages. The rules (docs/labelers.md, "Keyboard"):
// - while any dialog is open, no page shortcut acts, Ctrl/⌘+Enter included: the dialog owns the
//   keyboard (Escape closes it);
// - a plain key (a letter, "?", "=") acts only when focus is on no control. A control — text
//   box, button, checkbox, radio, link, select — keeps its keys, so typing with focus on a
//   button never toggles "all bad" or opens Skip. A control, or a container around it, that
//   lists a key in `data-shortcuts` is a shortcut target for that key (the ranking cards for
//   "=", "F", Alt+↑/↓; "Next task" for "N");
// - Alt+ and Ctrl/⌘+ combinations act from controls too (Alt+Enter in the dialogue box);
// - Space is never a page shortcut: on a button it presses that button and nothing else;
// - a held key's auto-repeat fires nothing but arrows;
// - Escape on a control leaves it (focus goes back to the page), so letter keys work again.
import { useEffect, useRef } from 'react';

export type KeyMap = Record<string, (e: KeyboardEvent) => void>;

const CONTROL = 'input, textarea, select, button, summary, a[href], [contenteditable=""], [contenteditable="true"], [role="button"], [role="checkbox"], [role="radio"], [role="switch"], [role="textbox"], [role="combobox"], [role="slider"], [role="tab"], [role="menuitem"], [role="option"]';

export function comboOf(e: KeyboardEvent): string {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  return `${mod ? 'mod+' : ''}${e.altKey ? 'alt+' : ''}${e.shiftKey && key.length > 1 ? 'shift+' : ''}${key}`;
}

/** Is a modal open (our <dialog>s, or anything marked as a modal dialog)? */
export function dialogOpen(): boolean {
  return !!document.querySelector('dialog[open], [role="dialog"][aria-modal="true"], [role="alertdialog"]');
}

/** May `combo` act with focus on `target`? */
export function allowedFrom(target: EventTarget | null, combo: string): boolean {
  const el = target instanceof Element ? target : null;
  if (!el) return true;
  const listed = el.closest('[data-shortcuts]')?.getAttribute('data-shortcuts')?.split(' ') ?? [];
  if (listed.includes(combo)) return true;
  if (combo.startsWith('mod+') || combo.startsWith('alt+')) return true;
  return !el.closest(CONTROL);
}

function leaveControl(target: EventTarget | null) {
  const el = target instanceof HTMLElement ? target : null;
  // not while a dialog is open (Escape closes it) or a keyboard drag runs (Escape cancels it)
  if (!el || dialogOpen() || !el.closest(CONTROL) || el.matches('[aria-roledescription="sortable"][aria-pressed="true"]')) return;
  el.blur();
}

/** keys: "mod+enter", "?", "g", "alt+arrowup", … (lowercase). */
export function useKeys(map: KeyMap) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const combo = comboOf(e);
      if (combo === 'escape') return leaveControl(e.target);
      const fn = ref.current[combo];
      if (!fn || combo === ' ') return;
      if (dialogOpen()) return;
      if (!allowedFrom(e.target, combo)) return;
      if (e.repeat && !combo.includes('arrow')) {
        e.preventDefault();
        return;
      }
      e.preventDefault();
      fn(e);
    };
    window.addEventListener('keydown', onKey, true); // capture: before widgets (e.g. a drag handle) act on the key
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
