/**
 * A small retrieval evaluation set: documents of a made-up outdoor-gear shop, and questions a
 * customer would ask, each with the document that answers it. Some questions share words with
 * their answer (full text finds them), some are paraphrases (only meaning finds them), some name
 * codes and numbers (words beat meaning there).
 */
export interface EvalDocument {
  name: string;
  text: string;
}

export interface EvalQuestion {
  question: string;
  /** The document that answers it. */
  expected: string;
}

export const evalDocuments: EvalDocument[] = [
  { name: 'returns.md', text: `# Returns and refunds
You can return any unused item within 45 days of delivery. Start a return from your account page and print the prepaid label.
Refunds go back to the original payment method within 5 working days after the parcel reaches our warehouse in Utrecht.
Worn footwear, opened gas canisters and custom-cut rope cannot be returned.
# Exchanges
If a size does not fit, ask for an exchange instead of a refund: we ship the new size as soon as the return is scanned.` },
  { name: 'shipping.md', text: `# Delivery
Orders placed before 14:00 leave the warehouse the same working day. Standard delivery in the Netherlands takes 1–2 days and costs 4.95 EUR, free above 60 EUR.
# International shipping
We ship to every EU country in 3–6 days with DHL. Switzerland and Norway take up to 8 days and customs duties are paid by the recipient.
We do not ship to addresses outside Europe.
# Tracking
Every parcel gets a tracking link by e-mail once it is handed to the carrier.` },
  { name: 'tents.md', text: `# Tents
The Ridgeline 2 is a two-person backpacking tent weighing 1.4 kg with a 3000 mm hydrostatic head flysheet.
The Basecamp 6 family tent sleeps six, has two bedrooms and a porch, and is pitched in about 20 minutes by two adults.
# Tent care
Always dry your tent completely before storing it, otherwise mould will stain the fabric. Never machine-wash a tent; rinse it with lukewarm water.
Seam sealer for older tents is sold separately (product code SS-40).` },
  { name: 'sleeping-bags.md', text: `# Sleeping bags
Comfort temperature is the lowest temperature at which a typical woman sleeps comfortably; limit temperature is for a man curled up.
The Alpine Down 800 has a comfort rating of -5 °C and packs down to the size of a melon.
Synthetic bags keep some warmth when wet, which makes them a better choice for damp climates like Scotland.
# Washing
Wash down sleeping bags with a down-specific detergent at 30 °C and tumble dry on low with three clean tennis balls.` },
  { name: 'warranty.md', text: `# Warranty
Every product carries a two-year warranty against manufacturing defects. Our own brand Northwind carries a lifetime warranty on frames and zips.
The warranty does not cover normal wear, accidents or damage from misuse.
# Repairs
Send broken items to our repair workshop; most repairs are done within three weeks and we pay the return postage for warranty repairs.` },
  { name: 'stores.md', text: `# Our stores
Our flagship store is on Oudegracht 112 in Utrecht, with a climbing wall to try harnesses and shoes.
The Amsterdam store is next to Central Station.
# Opening hours
Both stores are open Monday to Saturday from 9:30 to 18:00, and on Sunday from 12:00 to 17:00. On public holidays we close at 16:00.` },
  { name: 'membership.md', text: `# Membership
Members of the Trail Club collect one point per euro spent; 500 points give a 25 EUR voucher.
Membership is free and gives early access to the summer and winter sales.
Members can rent tents, stoves and crampons at half price for a weekend.` },
  { name: 'payment.md', text: `# Payment
We accept iDEAL, credit cards (Visa, Mastercard, American Express), PayPal and Klarna.
With Klarna you can pay within 30 days after delivery at no extra cost.
# Gift cards
Gift cards are valid for two years and can be used online and in our stores. They cannot be exchanged for cash.` },
  { name: 'climbing.md', text: `# Climbing gear
Harnesses must be replaced after a big fall or ten years, whichever comes first. Our climbing wall lets you try shoes before you buy.
Dynamic ropes stretch to absorb a fall; static ropes are for abseiling and rescue.
# Courses
Beginner climbing courses run every Saturday morning on the Utrecht wall and include all equipment.` },
  { name: 'jackets.md', text: `# Waterproof jackets
A jacket's waterproof rating in millimetres says how much water pressure the fabric withstands; 20,000 mm is enough for days of rain.
Breathability matters when you walk uphill: look for pit zips.
# Jacket care
Wash waterproof jackets with a technical wash and reproof them with a spray every few washes so the rain beads off again.` },
  { name: 'events.md', text: `# Events
Every first Thursday of the month we host a free evening talk about a long-distance trail, with drinks.
In spring we organise a group hike in the Ardennes; members get a 10% discount on the bus.
# Lost property
Items left behind at events are kept at the Utrecht store for one month.` },
  { name: 'stoves.md', text: `# Camping stoves
Gas canister stoves are light and simple; liquid-fuel stoves work better in freezing weather and at altitude.
Never use a stove inside a closed tent: carbon monoxide kills without warning.
Canisters cannot be sent by post, so we only sell them in our stores.` },
];

export const evalQuestions: EvalQuestion[] = [
  { question: 'How many days do I have to send something back?', expected: 'returns.md' },
  { question: 'When will I get my money back?', expected: 'returns.md' },
  { question: 'The boots are too small, can I swap them for a bigger size?', expected: 'returns.md' },
  { question: 'How much does delivery cost?', expected: 'shipping.md' },
  { question: 'Can you send my order to Canada?', expected: 'shipping.md' },
  { question: 'How do I follow where my parcel is?', expected: 'shipping.md' },
  { question: 'Which tent is light enough for hiking with two people?', expected: 'tents.md' },
  { question: 'Can I put my tent in the washing machine?', expected: 'tents.md' },
  { question: 'Do you sell SS-40?', expected: 'tents.md' },
  { question: 'What does comfort temperature mean?', expected: 'sleeping-bags.md' },
  { question: 'Which bag stays warm when it gets wet?', expected: 'sleeping-bags.md' },
  { question: 'How do I clean a down bag?', expected: 'sleeping-bags.md' },
  { question: 'My zip broke after three years, is that covered?', expected: 'warranty.md' },
  { question: 'How long does a repair take?', expected: 'warranty.md' },
  { question: 'Where is your shop in Utrecht?', expected: 'stores.md' },
  { question: 'Are you open on Sundays?', expected: 'stores.md' },
  { question: 'How do I get a voucher with points?', expected: 'membership.md' },
  { question: 'Is it possible to hire camping gear?', expected: 'membership.md' },
  { question: 'Can I pay later?', expected: 'payment.md' },
  { question: 'Do gift cards expire?', expected: 'payment.md' },
  { question: 'When should I throw away my harness?', expected: 'climbing.md' },
  { question: 'My rain coat no longer repels water, what do I do?', expected: 'jackets.md' },
  { question: 'Which stove is best for winter camping?', expected: 'stoves.md' },
  { question: 'Can you post me a gas canister?', expected: 'stoves.md' },
  { question: 'I forgot my bag at your talk last week', expected: 'events.md' },
];
