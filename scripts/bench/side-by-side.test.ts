import { DEFAULT_SIDE_BY_SIDE, QUICK_SIDE_BY_SIDE, sampleCounts } from './side-by-side.js';

describe('sampleCounts', () => {
  it('takes the issue’s counts by default and fewer for --quick', () => {
    expect(sampleCounts({})).toEqual({
      coldRounds: DEFAULT_SIDE_BY_SIDE.coldRounds,
      warmCalls: DEFAULT_SIDE_BY_SIDE.warmCalls,
    });
    expect(DEFAULT_SIDE_BY_SIDE).toMatchObject({ coldRounds: 5, warmCalls: 100, warmRounds: 2 });
    expect(sampleCounts({}, true)).toEqual(QUICK_SIDE_BY_SIDE);
  });

  it('lets --cold-rounds and --warm-calls override either', () => {
    expect(sampleCounts({ 'cold-rounds': '7', 'warm-calls': '200' }, true)).toEqual({
      coldRounds: 7,
      warmCalls: 200,
    });
  });

  it.each(['0', '-1', '2.5', 'many', ''])('refuses %j', (text) => {
    expect(() => sampleCounts({ 'cold-rounds': text })).toThrow(
      '--cold-rounds must be a whole number',
    );
  });
});
