/**
 * Both seed bodies stay supported after their models' end of life, and the error says what to do:
 * with the stand-in answering Nova Canvas (seed 002) and SDXL (seed 000) as retired, as AWS does
 * today, the API answers 503 MODEL_UNAVAILABLE naming the end-of-life date, an active model to
 * switch to and the setting to change — and the default model still works.
 */
import { errorAnswer, postJson } from './hardening/helpers.js';
import { startTestStack, type TestStack } from './stack-fixture.js';

const NOVA = 'amazon.nova-canvas-v1:0';
const SDXL = 'stability.stable-diffusion-xl-v1';

describe('retired models through the local stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ retiredModels: [NOVA, SDXL] });
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  it.each([
    // Seed 002's body: TEXT_IMAGE 1280×720 on Nova Canvas.
    [NOVA, { width: 1280, height: 720, cfgScale: 6.5, seed: 12 }, '2026-09-30'],
    // Seed 000's body: SDXL text_prompts with cfg_scale and steps.
    [SDXL, { cfgScale: 10, steps: 50, seed: 0 }, '2025-05-20'],
  ])('%s answers an actionable 503 MODEL_UNAVAILABLE', async (model, fields, date) => {
    const response = await postJson(`${stack.invokeUrl}/generate`, {
      prompt: 'image of a cat',
      model,
      ...fields,
    });
    const text = await response.clone().text();
    expect(await errorAnswer(response)).toEqual({
      status: 503,
      code: 'MODEL_UNAVAILABLE',
      problems: [],
    });
    const { message } = (JSON.parse(text) as { error: { message: string } }).error;
    expect(message).toContain(`reached end of life on ${date}`);
    expect(message).toContain('switch to an active model such as stability.stable-image-core-v1:1');
    expect(message).toContain('DEFAULT_MODEL');
  });

  it('still generates with the default model', async () => {
    const response = await postJson(`${stack.invokeUrl}/generate`, { prompt: 'image of a cat' });
    expect(response.status).toBe(200);
  });
});
