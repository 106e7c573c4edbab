// Module-level aliases: every row draws a dozen numbers, and a global lookup per call is slow in
// sandboxed runtimes such as jest's (about 100 ns each).
const { cos, exp, imul, log, PI, sqrt } = Math;

/** A seeded source of random numbers: the same seed always gives the same sequence. */
export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  poisson(mean: number): number;
  /** An option drawn with probability proportional to its weight. */
  pick<T>(options: ReadonlyArray<readonly [T, number]>): T;
}

/** Mixes a seed and a stream number into a well-spread 32-bit seed (the murmur3 finaliser). */
export function streamSeed(seed: number, stream: number): number {
  let hash = imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ imul(stream + 0x7f4a7c15, 0xc2b2ae35);
  hash ^= hash >>> 16;
  hash = imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** mulberry32: tiny, fast and good enough for synthetic data (not for anything secret). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal() {
      // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
      return sqrt(-2 * log(1 - uniform())) * cos(2 * PI * uniform());
    },
    poisson(mean) {
      // Knuth's product of uniforms: fine for the small means used here.
      const limit = exp(-mean);
      let count = 0;
      let product = uniform();
      while (product > limit) {
        count += 1;
        product *= uniform();
      }
      return count;
    },
    pick(options) {
      let total = 0;
      for (let index = 0; index < options.length; index += 1) total += options[index][1];
      let remaining = uniform() * total;
      for (let index = 0; index < options.length; index += 1) {
        remaining -= options[index][1];
        if (remaining < 0) return options[index][0];
      }
      return options[options.length - 1][0];
    },
  };
}
