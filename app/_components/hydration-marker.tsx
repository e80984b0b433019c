'use client';
// Marks <html data-hydrated="true"> once React has hydrated, so browser tests (and anything
// else) can tell when buttons with client-side handlers start to work.
import { useEffect } from 'react';

export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return null;
}
