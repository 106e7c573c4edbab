/**
 * Seeded flights-shaped CSV files for bench/compare.bench.ts and its test: the shapes of the US
 * flights data `compare` is measured on — a skewed integer departure delay with negatives and a
 * few missing values (cancelled flights, written NA), an integer distance, and a 223-category
 * origin airport code — with a shift between the reference and the production side (a heavier
 * delay tail, more cancellations, traffic moved between airports and to longer routes).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRandom, Random, streamSeed } from '../drift-server/src/demo/random';

export const AIRPORT_COUNT = 223;

/** Three-letter codes, none of them a missing-value spelling. */
const AIRPORTS = Array.from({ length: AIRPORT_COUNT }, (_, index) => {
  const letter = (offset: number) => String.fromCharCode(65 + (Math.floor(index / 26 ** offset) % 26));
  return `${letter(0)}${letter(1)}X`;
});

export interface FlightsSide {
  /** Mean of the delay's late tail in minutes, and the share of flights in it. */
  readonly lateMean: number;
  readonly lateShare: number;
  /** Share of cancelled flights, whose delay is missing. */
  readonly cancelled: number;
  /** Log-scale mean of the distance in miles. */
  readonly distanceLogMean: number;
  /** Zipf exponent of the airports' traffic, and how far their ranking is rotated. */
  readonly airportSkew: number;
  readonly airportRotation: number;
}

export const JANUARY: FlightsSide = {
  lateMean: 28,
  lateShare: 0.35,
  cancelled: 0.02,
  distanceLogMean: 6.45,
  airportSkew: 1.05,
  airportRotation: 0,
};
export const JUNE: FlightsSide = {
  lateMean: 36,
  lateShare: 0.42,
  cancelled: 0.015,
  distanceLogMean: 6.5,
  airportSkew: 1.0,
  airportRotation: 7,
};

function airportWeights(side: FlightsSide): (readonly [string, number])[] {
  return AIRPORTS.map(
    (code, index) => [code, 1 / (((index + side.airportRotation) % AIRPORT_COUNT) + 1) ** side.airportSkew] as const
  );
}

function row(random: Random, side: FlightsSide, airports: (readonly [string, number])[]): string {
  let delay: string;
  if (random.uniform() < side.cancelled) delay = 'NA';
  else if (random.uniform() < side.lateShare)
    delay = String(Math.round(-side.lateMean * Math.log(1 - random.uniform())));
  else delay = String(Math.round(-3 + 5 * random.normal()));
  const distance = Math.max(31, Math.min(4983, Math.round(Math.exp(side.distanceLogMean + 0.6 * random.normal()))));
  return `${delay},${distance},${random.pick(airports)}\n`;
}

/** Writes `rows` flights of one side to `file`, with the header dep_delay,distance,origin; the same seed gives the same bytes. */
export async function writeFlightsCsv(file: string, rows: number, side: FlightsSide, seed: number): Promise<void> {
  const random = createRandom(streamSeed(seed, rows));
  const airports = airportWeights(side);
  const output = createWriteStream(file);
  let chunk = 'dep_delay,distance,origin\n';
  for (let index = 0; index < rows; index += 1) {
    chunk += row(random, side, airports);
    if (chunk.length > 1 << 16) {
      if (!output.write(chunk)) await once(output, 'drain');
      chunk = '';
    }
  }
  output.end(chunk);
  await once(output, 'finish');
}
