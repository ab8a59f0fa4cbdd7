import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConversationMessageRecord } from '../../../runtime/services/types.js';
import { EmailBody } from '../conversations/EmailBody';
import { choicesOf, emailOf, mediaOf } from '../conversations/message-parts';
import { nodeTitle } from '../store/graph';
import { useEditor, useEditorStore } from '../store/context';
import { useSimulator } from './useSimulator';

/** How each channel is named in the panel, by credential kind. */
const CHANNELS: Record<string, string> = {
  'telegram-bot': 'Telegram', 'whatsapp-cloud': 'WhatsApp', 'instagram-messaging': 'Instagram', twilio: 'SMS', imap: 'Email', 'test-chat': 'Test chat',
};

/** Channels whose messages have a subject (decision 042): the panel asks for one and sends it along. */
const WITH_SUBJECT = new Set(['imap']);

export interface ChatSimulatorProps {
  flowId?: string;
  /** The credential kind of the channel trigger's account, when bound (the look of the chat). */
  channel?: string;
  /** Saves unsaved changes (the simulator runs the saved draft); resolves to the flow id, or undefined if not saved. */
  prepare(): Promise<string | undefined>;
  /** Shows an execution on the canvas. */
  onExecution(executionId: string): void;
  onClose(): void;
}

/** The node a step key (`node#loop~repeat`) belongs to. */
function nodeOfStep(stepKey: string): string {
  return stepKey.split(/[#~]/)[0] ?? stepKey;
}

/**
 * The chat simulator (decision 031): chat with the flow as a contact of its channel trigger's
 * account, no provider account needed. What is typed goes through the account's own signed delivery
 * path and runs the saved draft only; the flow's replies show as the channel shows them (bubbles,
 * buttons, images), each linked to the step that sent it. A button continues a send-and-wait.
 */
export function ChatSimulator({ flowId, channel, prepare, onExecution, onClose }: ChatSimulatorProps) {
  const store = useEditorStore();
  const readOnly = useEditor((s) => s.readOnly);
  const { thread, error, sending, send, restart } = useSimulator(flowId, prepare, onExecution);
  const [text, setText] = useState('');
  const [subject, setSubject] = useState('');
  const end = useRef<HTMLLIElement>(null);
  const kind = thread?.channel ?? channel;
  const name = (kind && CHANNELS[kind]) ?? 'Channel';
  const mail = kind !== undefined && WITH_SUBJECT.has(kind);
  const outlet = mail ? 'the mail server' : name === 'Channel' ? 'the provider' : name;
  const count = thread?.messages.length ?? 0;

  useEffect(() => { end.current?.scrollIntoView?.({ block: 'end' }); }, [count]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const typed = text.trim();
    if (!typed || sending) return;
    if (await send(mail ? { text: typed, subject: subject.trim() } : { text: typed })) {
      setText('');
      setSubject('');
    }
  };

  /** Selects the step's node on the canvas and shows the execution that ran it. */
  const openStep = (message: ConversationMessageRecord) => {
    if (!message.executionId || !message.stepKey) return;
    const nodeId = nodeOfStep(message.stepKey);
    const s = store.getState();
    s.onNodesChange(s.nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === nodeId })));
    onExecution(message.executionId);
  };

  const stepLabel = (stepKey: string) => {
    const s = store.getState();
    return nodeTitle(s.nodes.find((n) => n.id === nodeOfStep(stepKey)), s.catalog);
  };

  return (
    <aside className={`side chat-sim chat-sim-${kind ?? 'none'}`} aria-label="Chat simulator">
      <div className="row" style={{ marginBottom: 8 }}>
        <h2 className="grow" style={{ margin: 0 }}>Chat · {name}</h2>
        <button type="button" className="small" onClick={restart} disabled={sending} title="Start over as a new contact">New chat</button>
        <button type="button" className="small ghost" onClick={onClose} aria-label="Close the chat simulator">✕</button>
      </div>
      <p className="muted chat-sim-help">
        You are a contact of this account. {mail
          ? 'Mail you write becomes one new mail of the mailbox on its real path (recorded, deduplicated, dispatched, as a poll finds it)'
          : 'Messages go through the account\'s real, signed delivery path'} and run this flow's saved version only; its replies are recorded
        here and never sent to {outlet}.
      </p>
      <ol className="chat-sim-thread" aria-label="Chat">
        {count === 0 && <li className="muted chat-sim-empty">Say something to start the flow.</li>}
        {thread?.messages.map((m) => {
          const media = mediaOf(m);
          const choices = choicesOf(m);
          const email = emailOf(m);
          const outbound = m.direction === 'out';
          return (
            <li key={m.id} className={`chat-sim-msg ${outbound ? 'from-flow' : 'from-me'}`} data-direction={m.direction}>
              <div className="chat-sim-bubble">
                {media.map((item, i) => (
                  item.url && /^(image|photo|sticker)$/.test(item.kind)
                    ? <img key={i} className="chat-sim-image" src={item.url} alt={item.caption ?? item.fileName ?? 'image'} />
                    : <div key={i} className="chat-sim-file"><span className="badge">{item.kind}</span> {item.url ? <a href={item.url} target="_blank" rel="noreferrer noopener">{item.fileName ?? item.url}</a> : (item.fileName ?? 'attachment')}</div>
                ))}
                {email ? <EmailBody email={email} textClassName="chat-sim-text" /> : m.text && <p className="chat-sim-text">{m.text}</p>}
                {!m.text && media.length === 0 && choices.length === 0 && <p className="chat-sim-text muted">[{m.messageType}]</p>}
                {!outbound && choices.length > 0 && !m.text && <p className="chat-sim-text">{choices[0]!.title}</p>}
              </div>
              {outbound && choices.length > 0 && (
                <div className="chat-sim-choices" role="group" aria-label="Buttons">
                  {choices.map((c) => (
                    <button key={c.id} type="button" className="small" disabled={sending || readOnly} onClick={() => void send({ choiceId: c.id })}>{c.title}</button>
                  ))}
                </div>
              )}
              {outbound && (
                <div className="chat-sim-meta">
                  {m.executionId && m.stepKey
                    ? <button type="button" className="link" onClick={() => openStep(m)} title={`Execution ${m.executionId}, step ${m.stepKey}`}>Sent by {stepLabel(m.stepKey)}</button>
                    : <span className="muted">Sent from the inbox</span>}
                </div>
              )}
            </li>
          );
        })}
        <li ref={end} aria-hidden="true" className="chat-sim-end" />
      </ol>
      {error && <div className="banner error" role="alert">{error}</div>}
      <form className="row chat-sim-compose" onSubmit={(e) => void submit(e)}>
        {mail && (
          <input className="chat-sim-subject" aria-label="Subject" placeholder="Subject" value={subject} maxLength={998}
            disabled={readOnly} onChange={(e) => setSubject(e.target.value)} />
        )}
        <input className="grow" aria-label="Message" placeholder={mail ? 'Mail text, as a sender to this mailbox' : `Message as a ${name} contact`} value={text} maxLength={4096}
          disabled={readOnly} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="primary small" disabled={sending || readOnly || text.trim() === ''}>Send</button>
      </form>
    </aside>
  );
}
