import { checkPersistence, DEFAULT_PERSISTENCE, persistentVerdicts } from '../../src/engine/persistence';
import { EngineInputError } from '../../src/engine/errors';

const series = (text: string) => [...text].map((mark) => mark === 'x');
const marks = (flags: boolean[]) => flags.map((flag) => (flag ? 'x' : '.')).join('');

describe('persistent verdicts (k of the last m windows)', () => {
  it('keeps a drifted window that has k − 1 more among the m − 1 before it (2 of 3 by default)', () => {
    expect(marks(persistentVerdicts(series('x..x.x.xxx...x')))).toBe('.....x.xxx....');
    expect(DEFAULT_PERSISTENCE).toEqual({ k: 2, m: 3 });
  });

  it('honours other rules: 3 of 4, and 1 of 1 (every drifted window)', () => {
    expect(marks(persistentVerdicts(series('xx.xx.xxx'), { k: 3, m: 4 }))).toBe('...xx.xxx');
    expect(marks(persistentVerdicts(series('x.xx.'), { k: 1, m: 1 }))).toBe('x.xx.');
  });

  it('rejects rules that cannot hold', () => {
    expect(() => checkPersistence({ k: 3, m: 2 })).toThrow(EngineInputError);
    expect(() => checkPersistence({ k: 0, m: 2 })).toThrow(EngineInputError);
    expect(() => persistentVerdicts([], { k: 1.5, m: 2 })).toThrow(EngineInputError);
  });
});
