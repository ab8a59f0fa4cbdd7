import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { channelTestContext, instagramCredential, localHttp, propsIssues, stepFailure } from '../../meta/testing.js';
import { runNode } from '../../../testing.js';
import publish from './index.js';

let fake: GraphFake;
const http = localHttp();
const ctx = (signal?: AbortSignal) => channelTestContext(http, instagramCredential(fake), signal ? { signal } : {});
const fast = { pollIntervalMs: 250 };

beforeAll(async () => { fake = await startGraphFake({ containerPollsUntilReady: 2 }); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => fake.reset());

describe('instagram.publish', () => {
  it('creates an image container, polls status_code until FINISHED, then publishes it', async () => {
    const result = await runNode(publish, null, { mediaUrl: 'https://cdn.example/a.jpg', caption: 'New drop 🔥 #switchyard', ...fast }, ctx());
    const ig = fake.instagram.account.id;
    const steps = fake.calls.map((c) => `${c.method} ${c.path === ig ? 'ig' : c.path.replace(ig, 'ig').replace(/^\d+$/, 'container')}`);
    expect(steps).toEqual(['POST ig/media', 'GET container', 'GET container', 'GET container', 'POST ig/media_publish']);
    expect(fake.calls[0]?.body).toEqual({ image_url: 'https://cdn.example/a.jpg', caption: 'New drop 🔥 #switchyard' });
    expect(fake.instagram.published).toHaveLength(1);
    expect(result).toEqual({ main: { mediaId: fake.instagram.published[0]?.id, containerId: fake.instagram.published[0]?.creationId, kind: 'image' } });
  });

  it('publishes a reel and a carousel of an image and a video', async () => {
    await runNode(publish, null, { kind: 'reel', mediaUrl: 'https://cdn.example/r.mp4', shareToFeed: false, ...fast }, ctx());
    expect(fake.instagram.published[0]?.params).toEqual({ media_type: 'REELS', video_url: 'https://cdn.example/r.mp4', share_to_feed: false });
    const result = await runNode(publish, null, { kind: 'carousel', items: [{ kind: 'image', url: 'https://cdn.example/1.jpg' }, { kind: 'video', url: 'https://cdn.example/2.mp4' }], caption: 'two', ...fast }, ctx());
    const carousel = fake.instagram.published[1]?.params;
    expect(carousel).toMatchObject({ media_type: 'CAROUSEL', caption: 'two' });
    expect(String(carousel?.children).split(',')).toEqual((result as { main: { children: string[] } }).main.children);
  });

  it('a container in ERROR is a clear step error with Instagram\'s reason, and nothing is published', async () => {
    fake.instagram.failingMediaUrls.add('https://cdn.example/broken.heic');
    const error = await stepFailure(runNode(publish, null, { mediaUrl: 'https://cdn.example/broken.heic', ...fast }, ctx()));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.code).toBe('media_not_processed');
    expect(error.message).toMatch(/^Instagram could not process the image \(container \d+, ERROR\): Error: .*2207026/);
    expect(fake.instagram.published).toHaveLength(0);
  });

  it('the wait is bounded by "Longest wait" and stops when the step is cancelled', async () => {
    const slow = await startGraphFake({ containerPollsUntilReady: 1000 });
    try {
      const slowCtx = (signal?: AbortSignal) => channelTestContext(http, instagramCredential(slow), signal ? { signal } : {});
      const error = await stepFailure(runNode(publish, null, { mediaUrl: 'https://cdn.example/big.mp4', kind: 'reel', pollIntervalMs: 250, maxWaitMs: 1_000 }, slowCtx()));
      expect(error.code).toBe('media_not_ready');
      expect(error).not.toBeInstanceOf(NonRetryableError);
      const controller = new AbortController();
      const running = runNode(publish, null, { mediaUrl: 'https://cdn.example/big.mp4', kind: 'reel', pollIntervalMs: 60_000 }, slowCtx(controller.signal));
      setTimeout(() => controller.abort(new Error('cancelled')), 200);
      await expect(running).rejects.toThrow('cancelled');
      expect(slow.instagram.published).toHaveLength(0);
    } finally {
      await slow.close();
    }
  });

  it('checks the post type\'s media when the flow is saved and when it runs', async () => {
    expect(propsIssues(publish.props, { kind: 'carousel', items: [{ kind: 'image', url: 'https://x/1.jpg' }] })).toEqual(['items: a carousel needs 2 to 10 items']);
    expect(propsIssues(publish.props, { kind: 'image' })).toEqual(['mediaUrl: enter the URL of the image or video']);
    const error = await stepFailure(runNode(publish, null, { kind: 'carousel', items: [{ kind: 'image', url: 'https://x/1.jpg' }, { kind: 'gif', url: 'https://x/2.gif' }], ...fast }, ctx()));
    expect(error.message).toMatch(/^items\[1\]\.kind: "gif" is not a media type Instagram sends/);
    expect(fake.calls).toHaveLength(0);
  });
});
