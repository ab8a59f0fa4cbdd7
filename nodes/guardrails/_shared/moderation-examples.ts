/**
 * The shipped examples of the local moderation heuristic's few-shot part: short toxic messages by
 * category, and benign ones — including angry but legitimate complaints, so "the worst service
 * ever" stays on the benign side. A message is judged by the examples it is most similar to
 * (`fewShotModeration` in moderation.ts). Written for this purpose; the test corpus
 * (labelled.ts) holds different sentences, so the tests do not grade the examples against themselves.
 */
export interface ModerationExample {
  text: string;
  /** A moderation category for toxic examples; `benign` otherwise. */
  label: 'harassment' | 'hate' | 'violence' | 'self-harm' | 'benign';
}

export const MODERATION_EXAMPLES: readonly ModerationExample[] = [
  { text: 'You are a worthless idiot', label: 'harassment' },
  { text: 'You stupid moron, nobody wants you here', label: 'harassment' },
  { text: 'Everyone laughs at how pathetic you are', label: 'harassment' },
  { text: 'Shut up, you useless piece of garbage', label: 'harassment' },
  { text: 'Go back to your country, you filth', label: 'hate' },
  { text: 'People of your religion are vermin', label: 'hate' },
  { text: 'Women like you are too dumb to have opinions', label: 'hate' },
  { text: 'I hope you die', label: 'violence' },
  { text: 'People like you should be shot', label: 'violence' },
  { text: 'I know where you live and I am coming for you', label: 'violence' },
  { text: 'I am going to make you bleed', label: 'violence' },
  { text: 'I do not want to be alive anymore', label: 'self-harm' },
  { text: 'Thank you for the quick help', label: 'benign' },
  { text: 'My order arrived damaged, can I get a replacement?', label: 'benign' },
  { text: 'This is the worst service I have ever had', label: 'benign' },
  { text: 'I am very disappointed with the delay', label: 'benign' },
  { text: 'Can I speak to a manager?', label: 'benign' },
  { text: 'The cake was delicious', label: 'benign' },
  { text: 'Your app keeps crashing and it is driving me crazy', label: 'benign' },
  { text: 'I have been waiting for two weeks, this is unacceptable', label: 'benign' },
  { text: 'Please cancel my subscription', label: 'benign' },
  { text: 'What time do you close today?', label: 'benign' },
  { text: 'The delivery guy was late and rude', label: 'benign' },
  { text: 'Killer deal on the bread today, love it', label: 'benign' },
];
