/**
 * Simulated model outputs for measuring the prediction-drift verdict: a classifier's probability
 * scores (σ(logit), logit ~ N(−0.8, 1.5²): most scores low, a long tail towards 1) and, for a model
 * without a probability column, its predicted class (1 with chance 0.3). A 20 000-row reference,
 * its bins frozen as a reference version freezes them; production windows of any size drawn like it or
 * moved: scores by a logit shift, classes by a higher share of class 1. Each window's output is
 * decided alone, as the engine decides it (a family of one test set beside the features). Seeded.
 */
import { createRandom, Random, streamSeed } from '../drift-server/src/demo/random';
import { decideWindow, DEFAULT_THRESHOLDS, featureTests } from '../drift-server/src/stats';
import { simulatedFeature, windowCounts } from './verdict-simulation';

const LOGIT_MEAN = -0.8;
const LOGIT_SD = 1.5;
const POSITIVE_SHARE = 0.3;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A moved output: a score distribution with its logits shifted, or a class mix with another share of class 1. */
export interface OutputChange {
  readonly name: string;
  readonly output: 'probability' | 'prediction';
  /** Logit shift (probability) or share of class 1 (prediction); no drift is a shift of 0 or a share of 0.3. */
  readonly amount: number;
}

export const SCORE_NO_DRIFT: OutputChange = { name: 'scores, no drift', output: 'probability', amount: 0 };
export const CLASS_NO_DRIFT: OutputChange = {
  name: 'class mix, no drift',
  output: 'prediction',
  amount: POSITIVE_SHARE,
};

export function scoreShift(logits: number): OutputChange {
  return { name: `scores, logit shift ${logits}`, output: 'probability', amount: logits };
}

export function classShare(share: number): OutputChange {
  return { name: `class 1 share 0.3 → ${share}`, output: 'prediction', amount: share };
}

function draw(change: OutputChange, shifted: boolean): (random: Random) => number {
  if (change.output === 'probability') {
    const shift = shifted ? change.amount : 0;
    return (random) => sigmoid(LOGIT_MEAN + shift + LOGIT_SD * random.normal());
  }
  const share = shifted ? change.amount : POSITIVE_SHARE;
  return (random) => (random.uniform() < share ? 1 : 0);
}

export interface OutputResult {
  readonly change: string;
  readonly rows: number;
  readonly windows: number;
  /** Windows whose output verdict was drifted. */
  readonly flagged: number;
  /** Mean psi_corrected over the windows that had a shift test: what the PSI thresholds judged. */
  readonly meanPsiCorrected: number | null;
}

/** `windows` windows of `rows` rows of the output under `change`, each decided as the engine decides the output. */
export function runOutputScenario(seed: number, change: OutputChange, rows: number, windows: number): OutputResult {
  const kind = change.output === 'probability' ? 'numeric' : 'categorical';
  const reference = simulatedFeature(
    change.output,
    kind,
    0,
    draw(change, false),
    0,
    createRandom(streamSeed(seed, -1)),
    kind === 'categorical' ? 2 : 0
  );
  const production = { name: change.name, index: 0, production: () => draw(change, true) };
  let flagged = 0;
  const psi: number[] = [];
  for (let window = 0; window < windows; window += 1) {
    const { counts } = windowCounts([reference], production, reference, rows, seed, rows * 10_000 + window);
    const [verdict] = decideWindow(
      counts.map((side) => featureTests(side, DEFAULT_THRESHOLDS)),
      DEFAULT_THRESHOLDS
    );
    if (verdict.drifted) flagged += 1;
    if (verdict.psi_corrected !== null) psi.push(verdict.psi_corrected);
  }
  const meanPsiCorrected = psi.length === 0 ? null : psi.reduce((sum, value) => sum + value, 0) / psi.length;
  return { change: change.name, rows, windows, flagged, meanPsiCorrected };
}
