/**
 * drift-server's architecture as rules: `npm run lint:layers -w drift-server` fails on a violation.
 *
 *   stats ← store ← engine ← metrics | reports ← api ← composition ← server.ts ← cli,   demo ← cli
 *
 * Each layer is a folder under src/ (server.ts, the HTTP server over the composition root, counts as
 * one). The other files at the top of src/ (config, logger, scopes, time, number-format, value-types)
 * are leaves every layer may use and that use no layer. A layer reaches another only through that
 * layer's index.ts (its public face), and no module imports itself back through others.
 */
const LAYERS = ['stats', 'store', 'engine', 'metrics', 'reports', 'api', 'composition', 'server', 'demo', 'cli'];
/** What each layer may import besides itself and the leaves. */
const MAY_USE = {
  stats: [],
  store: ['stats'],
  engine: ['stats', 'store'],
  metrics: ['stats', 'store', 'engine'],
  reports: ['stats', 'store', 'engine'],
  api: ['stats', 'store', 'engine', 'metrics', 'reports'],
  composition: ['stats', 'store', 'engine', 'metrics', 'api'],
  server: ['store', 'composition'],
  demo: ['stats', 'store'],
  cli: ['stats', 'store', 'engine', 'metrics', 'reports', 'api', 'composition', 'server', 'demo'],
};
const folder = (layer) => (layer === 'server' ? '^src/server\\.ts$' : `^src/${layer}/`);
const LEAVES = '^src/(?!server\\.ts$)[^/]+\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A module that reaches itself again through its imports: split the shared part out.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'leaves-are-leaves',
      severity: 'error',
      comment: 'The leaves (config, logger, scopes) are used by every layer, so they import none.',
      from: { path: LEAVES },
      to: { path: '^src/', pathNot: [LEAVES] },
    },
    ...LAYERS.map((layer) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: `${layer} may use ${MAY_USE[layer].join(', ') || 'no other layer'} (see the diagram at the top of this file).`,
      from: { path: folder(layer) },
      to: {
        path: '^src/',
        pathNot: [folder(layer), LEAVES, '^src/types/', ...MAY_USE[layer].map(folder)],
      },
    })),
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment:
        'A released migration never changes, so it imports nothing that follows the newest schema: only the database and SQL helpers (its own SQL does the rest).',
      from: { path: '^src/store/migrations/' },
      to: {
        path: '^src/',
        pathNot: ['^src/store/migrations/', '^src/store/database\\.ts$', '^src/store/sql\\.ts$'],
      },
    },
    {
      name: 'through-the-index',
      severity: 'error',
      comment: 'Another layer is reached through its index.ts only: what it exports there is its interface.',
      from: { path: '^src/([^/]+)' },
      // The API's request schemas and problem wording are entries of their own, so that the CLI can
      // check a model file before sending it without loading the whole app.
      to: {
        path: '^src/([^/]+)/.+',
        pathNot: [
          '^src/$1/',
          '^src/[^/]+/index\\.ts$',
          '^src/api/problems\\.ts$',
          '^src/api/routes/models\\.schemas\\.ts$',
        ],
      },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
