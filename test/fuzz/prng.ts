// A seeded pseudo-random generator (mulberry32) and the few draws the fuzz tests need, so a run is
// reproduced exactly from its seed.

export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** A UUID (version 4 layout) drawn from this generator. */
  uuid(): string;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    chance: (p) => next() < p,
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    uuid() {
      const hex = Array.from({ length: 32 }, () => int(16).toString(16)).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[int(4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}

/** A generator of its own for each operation, so adding an operation does not change the others' draws. */
export function prngFor(seed: number, name: string): Prng {
  let h = seed >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return createPrng(h);
}

/** Every item marked core, and `perField` of the others drawn by the generator. */
export function coreAndDrawn<T extends { core?: boolean }>(all: T[], prng: Prng, perField: number): T[] {
  return [...all.filter((m) => m.core), ...prng.shuffle(all.filter((m) => !m.core)).slice(0, perField)];
}
