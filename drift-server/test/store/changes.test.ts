import { ChangeCounter } from '../../src/store/changes';

describe('the change counter behind the result cache', () => {
  it('gives a write its own version, retired when the write ends, so nothing computed while it commits is reused', async () => {
    const changes = new ChangeCounter();
    const before = changes.version('m');
    let during = '';
    await changes.writing('m', async () => {
      during = changes.version('m');
    });
    const after = changes.version('m');
    expect(new Set([before, during, after]).size).toBe(3);
    expect(changes.version('other')).toBe('0.0');
  });

  it('retires the versions also when the write fails', async () => {
    const changes = new ChangeCounter();
    const before = changes.version('m');
    await expect(changes.writing('m', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(changes.version('m')).not.toBe(before);
  });

  it('moves every model on for a write to all of them', async () => {
    const changes = new ChangeCounter();
    const before = [changes.version('a'), changes.version('b')];
    await changes.writingAll(async () => undefined);
    expect(changes.version('a')).not.toBe(before[0]);
    expect(changes.version('b')).not.toBe(before[1]);
  });
});
