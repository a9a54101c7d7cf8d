// A bounded map that forgets its least recently used entries: the intake's caches (segment
// assignments, operator key objects) stay bounded however many keys clients send.

export interface Lru<V> {
  get(k: string): V | undefined;
  set(k: string, v: V): void;
}

export function lru<V>(max: number): Lru<V> {
  const m = new Map<string, V>();
  return {
    get(k) {
      const v = m.get(k);
      if (v !== undefined) {
        m.delete(k);
        m.set(k, v);
      }
      return v;
    },
    set(k, v) {
      m.set(k, v);
      if (m.size > max) m.delete(m.keys().next().value!);
    },
  };
}
