/**
 * Ascending sort of finite doubles by an LSD radix sort on their IEEE-754 bits. At a million
 * values it is several times faster than Float64Array.prototype.sort, and every drift metric set
 * begins by sorting both sides (quantiles, bins, KS).
 */

const DIGITS = 4; // the 64 bits read as four 16-bit digits, least significant first
const BUCKETS = 1 << 16;
const SIGN_DIGIT_FIRST_NEGATIVE = 0x8000;
/** Below this the built-in comparison sort wins: four 65 536-bucket histograms cost more than they save (measured crossover ≈ 20 000). */
const SMALL = 20_000;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('the radix sort reads doubles as little-endian 16-bit digits; this platform is big-endian');
}

function digitHistograms(digits: Uint16Array): Uint32Array {
  const histograms = new Uint32Array(DIGITS * BUCKETS);
  for (let i = 0; i < digits.length; i += DIGITS) {
    histograms[digits[i]] += 1;
    histograms[BUCKETS + digits[i + 1]] += 1;
    histograms[2 * BUCKETS + digits[i + 2]] += 1;
    histograms[3 * BUCKETS + digits[i + 3]] += 1;
  }
  return histograms;
}

function digitsOf(values: Float64Array): Uint16Array {
  return new Uint16Array(values.buffer, values.byteOffset, values.length * DIGITS);
}

/**
 * Sorts the values in place. Finite values only (callers drop missing values first): the raw bits
 * of a finite double are never a NaN pattern, so values can move as doubles without their bits
 * being canonicalised.
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const count = values.length;
  if (count < SMALL) return values.sort();
  const histograms = digitHistograms(digitsOf(values));
  const offsets = new Uint32Array(BUCKETS);
  let source = values;
  let target: Float64Array = new Float64Array(count);
  for (let digit = 0; digit < DIGITS; digit += 1) {
    const histogram = histograms.subarray(digit * BUCKETS, (digit + 1) * BUCKETS);
    // A digit shared by every value (sign and exponent bits of similar values) orders nothing.
    if (histogram.includes(count)) continue;
    let running = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket += 1) {
      offsets[bucket] = running;
      running += histogram[bucket];
    }
    const digits = digitsOf(source);
    for (let i = 0; i < count; i += 1) target[offsets[digits[i * DIGITS + digit]]++] = source[i];
    [source, target] = [target, source];
  }
  // Ordered as unsigned bits, the non-negative values come first, ascending, then the negative
  // ones by ascending magnitude: reverse the latter to the front.
  let negatives = 0;
  for (let bucket = SIGN_DIGIT_FIRST_NEGATIVE; bucket < BUCKETS; bucket += 1)
    negatives += histograms[3 * BUCKETS + bucket];
  const result = source === values ? target : values;
  for (let k = 0; k < negatives; k += 1) result[k] = source[count - 1 - k];
  result.set(source.subarray(0, count - negatives), negatives);
  if (result !== values) values.set(result);
  return values;
}
