// Writes the data of README.md "Your own model in five minutes" beside this file: a reference
// (training data with labels), a day of predictions ending now and the labels that came back for
// two thirds of them. Seeded: the same rows every time, only the timestamps follow the clock, so
// the predictions lie in the API's default window (the last 24 hours).
//   node docs/examples/loan-default/make-data.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let state = 20261130;
/** Park–Miller: small, seeded, the same on every machine. */
const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
const normal = (mean, sd) => mean + sd * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
const EMPLOYMENT = ['salaried', 'self-employed', 'retired'];

/** One applicant; `shift` moves income up and debt ratio down, as a changed marketing channel would. */
function applicant(shift) {
  const income = Math.round(normal(52000 + shift * 9000, 14000));
  const debtRatio = Math.min(0.95, Math.max(0.02, normal(0.36 - shift * 0.06, 0.12)));
  const age = Math.round(Math.min(80, Math.max(19, normal(41, 11))));
  const employment = EMPLOYMENT[random() < 0.7 ? 0 : random() < 0.6 ? 1 : 2];
  const risk = 1 / (1 + Math.exp(-(-1.1 + 3.2 * (debtRatio - 0.36) - (income - 52000) / 30000)));
  const label = random() < risk ? 1 : 0;
  const probability = Math.min(0.99, Math.max(0.01, risk + normal(0, 0.05)));
  return { income, debt_ratio: debtRatio.toFixed(3), age, employment: random() < 0.02 ? '' : employment, prediction: probability >= 0.5 ? 1 : 0, probability: probability.toFixed(3), label };
}

const csv = (rows) => `${Object.keys(rows[0]).join(',')}\n${rows.map((row) => Object.values(row).join(',')).join('\n')}\n`;

const reference = Array.from({ length: 2000 }, () => applicant(0));
writeFileSync(join(here, 'reference.csv'), csv(reference));

const SPAN_MS = 23 * 3_600_000;
const now = Date.now();
const scored = Array.from({ length: 1440 }, (_, index) => ({
  prediction_id: `ld-${now}-${index}`,
  timestamp: new Date(now - SPAN_MS + Math.floor((index * SPAN_MS) / 1440)).toISOString(),
  ...applicant(1),
}));
writeFileSync(join(here, 'predictions.csv'), csv(scored.map(({ label, ...row }) => row)));
// Outcomes arrive later, and only for some loans.
writeFileSync(join(here, 'labels.csv'), csv(scored.filter((_, index) => index % 3 !== 2).map(({ prediction_id, label }) => ({ prediction_id, label }))));
process.stdout.write(`Wrote reference.csv, predictions.csv and labels.csv in ${here}\n`);
