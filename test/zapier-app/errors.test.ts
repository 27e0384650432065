// How API errors reach a Zap: problem+json detail and code as the message, 429 as a throttled
// retry that honours Retry-After (on a server whose per-key limit is tiny, to hit it quickly).
import { randomUUID } from 'node:crypto';
import { App, failure, run, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ API_KEY_RATE_LIMIT: '8' });
});
afterAll(async () => {
  await h.t.stop();
});

describe('error mapping', () => {
  it('when the API answers with a problem, then its detail is the message and its code and status travel with it', async () => {
    const taken = `taken-${randomUUID()}@example.com`;
    await h.api().post('/contacts', { name: 'Holder', email: taken });
    const other = await h.api().post('/contacts', { name: 'Other' });
    const error = await failure(
      run(App.creates.update_contact!.operation.perform, h.keys.admin, {
        inputData: { contact_id: other.id, email: taken },
      }),
    );
    expect(error).toMatchObject({ name: 'AppError', code: 'conflict', status: 409 });
    expect(error.message).toContain(`A contact with the email ${taken} already exists`);
  });

  it('when the per-key rate limit is reached, then the step is throttled with the Retry-After delay', async () => {
    let error: Awaited<ReturnType<typeof failure>> | undefined;
    for (let i = 0; i < 10 && !error; i++) {
      try {
        await run(App.triggers.pipeline_list!.operation.perform, h.keys.read);
      } catch (err) {
        error = await failure(Promise.reject(err));
      }
    }
    expect(error).toMatchObject({ name: 'ThrottledError', delay: expect.any(Number) });
    expect(error!.delay).toBeGreaterThan(0);
    expect(error!.delay).toBeLessThanOrEqual(60);
    expect(error!.message).toMatch(
      /rate limit for this API key was reached: Rate limit of 8 requests per 60 seconds/,
    );
  });
});
