import { describe, expect, it } from 'vitest';
import sendMessage from '../../nodes/channels/telegram/send-message/index.js';
import respond from '../../nodes/core/respond/index.js';
import { propsWithSchemaDefaults } from './prop-defaults.js';

describe('props with their schema defaults, before expressions resolve', () => {
  it('fills a default chat id even when another field only passes once its expression is worked out', () => {
    // `replyTo` must be digits: the written expression fails the schema until it resolves.
    const written = { text: 'Thanks!', replyTo: '{{ String($trigger.messageId) }}' };
    expect(sendMessage.props.safeParse(written).success).toBe(false);
    const filled = propsWithSchemaDefaults(sendMessage.props, written) as Record<string, unknown>;
    expect(filled).toMatchObject({ text: 'Thanks!', replyTo: '{{ String($trigger.messageId) }}', chatId: '{{ $trigger.contact.id }}' });
  });

  it('keeps what was written, and takes the schema\'s own parse when the props pass it', () => {
    const written = { chatId: '42', text: 'Hi', replyTo: '{{ $json.id }}' };
    expect(propsWithSchemaDefaults(sendMessage.props, written)).toMatchObject({ chatId: '42', replyTo: '{{ $json.id }}' });
    expect(propsWithSchemaDefaults(respond.props, {})).toEqual(respond.props.parse({}));
  });
});
