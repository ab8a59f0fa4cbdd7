import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { mediaKind, mediaUrl } from '../../meta/media-url.js';
import { instagramAccount } from '../credential.js';
import { accountSlot } from '../props.js';
import { createContainer, publishContainer, waitUntilReady, type ContainerWait } from './containers.js';

const item = z.object({
  kind: ui(z.string().trim().default('image'), { title: 'Type', description: 'image or video', placeholder: 'image' }),
  url: ui(z.string().trim().min(1, 'enter the URL'), { title: 'URL', description: 'Public http(s) URL of the image (JPEG) or video' }),
});

const props = z.object({
  /** Default: 'image'. */
  kind: ui(z.enum(['image', 'carousel', 'reel']).default('image'), {
    title: 'Post type', description: 'A single image, a carousel of 2 to 10 images and videos, or a reel', expression: false,
    enumLabels: { image: 'Image', carousel: 'Carousel', reel: 'Reel (video)' },
  }),
  mediaUrl: ui(z.string().trim().optional(), { title: 'Media URL', description: 'Image or reel: the public URL of the JPEG image or the video' }),
  /** Carousel only. Default: none. */
  items: ui(z.array(item).max(10, 'a carousel holds at most 10 items').default([]), { title: 'Carousel items', description: '2 to 10 images or videos, in order' }),
  caption: ui(z.string().max(2200, 'at most 2200 characters').optional(), { title: 'Caption', description: 'Text of the post, hashtags included', widget: 'textarea' }),
  /** Reels: also show in the feed. Default: true. */
  shareToFeed: ui(z.boolean().default(true), { title: 'Reel: also in the feed', description: 'Show the reel in the main feed too', group: 'Options' }),
  /** Default: 5 s. */
  pollIntervalMs: ui(z.number().int().min(250).max(60_000).default(5_000), { title: 'Check every (ms)', description: 'How often to ask whether Instagram has processed the media', group: 'Options' }),
  /** Default: 5 minutes. */
  maxWaitMs: ui(z.number().int().min(1_000).max(1_800_000).default(300_000), { title: 'Longest wait (ms)', description: 'Fail the step when the media is still processing after this long', group: 'Options' }),
}).superRefine((value, ctx) => {
  if (value.kind === 'carousel' && value.items.length < 2) ctx.addIssue({ code: 'custom', path: ['items'], message: 'a carousel needs 2 to 10 items' });
  if (value.kind !== 'carousel' && !value.mediaUrl) ctx.addIssue({ code: 'custom', path: ['mediaUrl'], message: 'enter the URL of the image or video' });
});

/**
 * Publishes a post: creates the media container(s), waits until Instagram has processed them
 * (`status_code` FINISHED; ERROR is a step error with Instagram's reason), then publishes.
 */
export default defineNode({
  type: 'instagram.publish',
  version: 1,
  title: 'Instagram: publish post',
  category: 'Channels',
  description: 'Publishes an image, a carousel or a reel from URLs',
  icon: 'layers',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const account = instagramAccount(ctx.credentials.account);
    const wait: ContainerWait = { pollIntervalMs: p.pollIntervalMs, maxWaitMs: p.maxWaitMs, startedAt: Date.now() };
    const caption: JsonObject = p.caption ? { caption: p.caption } : {};
    let containerId: string;
    const children: string[] = [];
    if (p.kind === 'carousel') {
      if (p.items.length < 2) throw new NonRetryableError('items: a carousel needs 2 to 10 items', { code: 'invalid_carousel' });
      // Checked up front: a bad last item should not leave nine processed containers behind.
      const items = p.items.map((entry, index) => ({ kind: mediaKind(entry.kind, ['image', 'video'] as const, `items[${index}].kind`, 'Instagram'), url: mediaUrl(entry.url, `items[${index}].url`) }));
      for (const [index, entry] of items.entries()) {
        const params: JsonObject = entry.kind === 'image' ? { image_url: entry.url, is_carousel_item: true } : { media_type: 'VIDEO', video_url: entry.url, is_carousel_item: true };
        const child = await createContainer(ctx, account, params);
        await waitUntilReady(ctx, account, child, `carousel item ${index + 1}`, wait);
        children.push(child);
      }
      containerId = await createContainer(ctx, account, { media_type: 'CAROUSEL', children: children.join(','), ...caption });
    } else {
      const url = mediaUrl(p.mediaUrl, 'mediaUrl');
      const params: JsonObject = p.kind === 'image' ? { image_url: url, ...caption } : { media_type: 'REELS', video_url: url, share_to_feed: p.shareToFeed, ...caption };
      containerId = await createContainer(ctx, account, params);
    }
    await waitUntilReady(ctx, account, containerId, p.kind, wait);
    const mediaId = await publishContainer(ctx, account, containerId);
    return { main: { mediaId, containerId, kind: p.kind, ...(children.length > 0 ? { children } : {}) } };
  },
});
