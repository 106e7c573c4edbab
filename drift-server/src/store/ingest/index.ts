/**
 * Data in: prediction, label and reference batches. One prediction batch's journey, each step a
 * file of this folder:
 *
 *   commit.ts          BatchRunner.run: the model's lock, an Idempotency-Key replayed or refused,
 *                      then one transaction — everything below, the batch record, COMMIT
 *   production.ts      ProductionIngestion: the frozen bins and calibration of the newest reference
 *                      version, then the stages below, called in this order
 *   stage.ts           stageUpload: CSV spooled (parse/csv-scan.ts checks UTF-8, line ends, record
 *                      length) and staged by fast-path-csv.ts when every value allows; otherwise,
 *                      and for NDJSON, JSON and Parquet, parsed per format (parse/*) and
 *   validate.ts        checked row by row (RowReader: types, timestamps, text rules; the first bad
 *                      value refuses the batch with its row and column named)
 *   staging-table.ts   into a temporary staging table with the row tables' columns (feature i in
 *                      f<i>, row-tables.ts); stageUpload hands back each portion staged (65 536
 *                      rows, or a whole CSV upload), and for each portion production.ts calls:
 *   count.ts           the staged rows counted per hour, feature and bin into the hourly aggregates
 *                      and their daily rollups, in SQL
 *   accuracy-sums.ts   their outcomes checked (binary classifiers) and summed per hour for the
 *                      accuracy estimate and realized accuracy
 *   staging-table.ts   RowLoader.moveStaged: the portion moved into the model's production rows
 *   accuracy-sums.ts   after the last portion: labels uploaded earlier applied, the sums saved
 *
 * A failure anywhere rolls the whole transaction back: nothing of the batch is stored.
 */
export { BatchRunner } from './commit';
export type { BatchOutcome } from './commit';
export { ProductionIngestion } from './production';
export type { LabelBatchResult, PredictionBatchResult } from './production';
