export {
  ATTACK_START_DAY,
  DEMO_BUSINESS,
  DEMO_RETRAINING,
  DEMO_DAYS,
  DEMO_SEED,
  DEMO_START,
  demoScenario,
  REFERENCE_ROWS,
  ROWS_PER_DAY,
} from './scenarios';
export type { DemoRow, DemoScenario, ProductionDay, ScenarioNumber, ScenarioOptions } from './scenarios';
export { CREDIT_RISK_FEATURES, defaultProbability } from './credit-risk';
export { DEMO_PREDICTIONS, loadDemoScenario, unfinishedLoad } from './load';
export type { LoadedDemo } from './load';
export { LiveFeed } from './live-feed';
export type { FeedProgress, FeedTarget } from './live-feed';
export { ScenarioTimeline } from './timeline';
