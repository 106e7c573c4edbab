import { useLayoutEffect, useState } from 'react';

/**
 * The content-box width of an element (without its padding and scrollbar), followed as it changes:
 * the panel resized, a vertical scrollbar appearing. `fallback` until it is measured, and where
 * ResizeObserver does not exist (jsdom).
 */
export function useContentWidth(fallback: number): [(element: HTMLElement | null) => void, number] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [measured, setMeasured] = useState(0);
  useLayoutEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => setMeasured(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, measured > 0 ? measured : fallback];
}
