import { Hono } from 'hono';
import type { AppEnv } from '../../src/api/context';
import { UndeclaredQueryRefusal } from '../../src/api/query-parameters';

describe('the refusal of undeclared query parameters', () => {
  it('reads the route declarations once, when prepared, so no request pays for them', async () => {
    let reads = 0;
    const refusal = new UndeclaredQueryRefusal(() => {
      reads += 1;
      return [{ method: 'GET', path: '/models/{modelId}/summary', parameters: ['from', 'to'] }];
    });
    const app = new Hono<AppEnv>();
    app.use('*', refusal.middleware());
    app.get('/models/:modelId/summary', (c) => c.text('ok'));
    app.onError((error, c) => c.text(error.message, 400));
    expect(reads).toBe(0);
    refusal.prepare();
    expect(reads).toBe(1);

    const declared = await app.request('/models/m/summary?from=1');
    const misspelt = await app.request('/models/m/summary?form=1');
    expect(declared.status).toBe(200);
    expect(misspelt.status).toBe(400);
    expect(await misspelt.text()).toBe(
      'query parameter "form" is not accepted here: GET /models/{modelId}/summary takes from, to'
    );
    expect(reads).toBe(1);
  });

  it('reads them on the first request with a query when not prepared', async () => {
    let reads = 0;
    const refusal = new UndeclaredQueryRefusal(() => {
      reads += 1;
      return [{ method: 'GET', path: '/a', parameters: [] }];
    });
    const app = new Hono<AppEnv>();
    app.use('*', refusal.middleware());
    app.get('/a', (c) => c.text('ok'));
    app.onError((error, c) => c.text(error.message, 400));
    expect((await app.request('/a')).status).toBe(200);
    expect(reads).toBe(0);
    expect((await app.request('/a?x=1')).status).toBe(400);
    expect(reads).toBe(1);
  });
});
