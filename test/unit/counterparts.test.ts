// The counterparts of a municipality: asked of its own city on every list,
// the last answer kept so the next list need not wait for it.
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/context';
import { counterpartsVia } from '../../gateway/routing/counterparts';
import type { ShardedDataSource } from '../../gateway/routing/shardedDataSource';

const contextOf = (municipality: string) =>
  ({
    principal: { municipality, unit: null, subject: `user-${municipality}`, roles: [] },
  }) as unknown as GatewayContext;

function execution(answers: Record<string, unknown>) {
  const asked: string[] = [];
  const source = {
    call: (_context: GatewayContext, city: string) => {
      asked.push(city);
      const answer = answers[city];
      return Promise.resolve(
        answer === 'down'
          ? { unavailable: { message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } } }
          : { response: { data: { assignmentCounterparts: answer } } },
      );
    },
  };
  return { asked, source: source as unknown as ShardedDataSource };
}

describe('counterparts', () => {
  it("asks the caller's own city and remembers the answer for its municipality only", async () => {
    const { asked, source } = execution({ '0180': ['1280'], '1480': [] });
    const counterparts = counterpartsVia(source);
    expect(counterparts.lastKnown('0180')).toBeUndefined();

    expect(await counterparts.ask(contextOf('0180'))).toEqual(new Set(['1280']));

    expect(asked).toEqual(['0180']);
    expect(counterparts.lastKnown('0180')).toEqual(new Set(['1280']));
    expect(counterparts.lastKnown('1480')).toBeUndefined();
  });

  it('keeps the last good answer when the city cannot say', async () => {
    const answers: Record<string, unknown> = { '0180': ['1280', '1480'] };
    const { source } = execution(answers);
    const counterparts = counterpartsVia(source);
    await counterparts.ask(contextOf('0180'));

    answers['0180'] = 'down';
    expect(await counterparts.ask(contextOf('0180'))).toBeNull();
    answers['0180'] = { not: 'a list' };
    expect(await counterparts.ask(contextOf('0180'))).toBeNull();

    expect(counterparts.lastKnown('0180')).toEqual(new Set(['1280', '1480']));
  });

  it('replaces the remembered answer with each fresh one', async () => {
    const answers: Record<string, unknown> = { '0180': ['1280'] };
    const counterparts = counterpartsVia(execution(answers).source);
    await counterparts.ask(contextOf('0180'));
    answers['0180'] = [];
    await counterparts.ask(contextOf('0180'));
    expect(counterparts.lastKnown('0180')).toEqual(new Set());
  });
});
