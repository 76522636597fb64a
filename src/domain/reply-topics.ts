/**
 * What a guest's message is about, and which saved replies (message templates) answer it. A topic is
 * found by whole-word patterns: one set read in the guest's message, another in a template's name and
 * description (never in its text, which mentions many things in passing). A narrower topic hides the
 * broader one it contains: "early check-in" is not also "check-in", "late checkout" not also "checkout".
 */

export const REPLY_TOPICS = [
  'early check-in',
  'check-in',
  'late checkout',
  'checkout',
  'wifi',
  'parking',
  'pets',
  'extend stay',
  'directions',
  'cancellation',
  'maintenance',
] as const;
export type ReplyTopic = (typeof REPLY_TOPICS)[number];

interface TopicRule {
  /** Read in what the guest wrote. */
  guest: RegExp;
  /** Read in a template's name and description. */
  template: RegExp;
  /** The broader topic this one makes redundant. */
  hides?: ReplyTopic;
}

const CHECK_IN = String.raw`check[\s-]?in`;
const CHECK_OUT = String.raw`check[\s-]?out`;

const RULES: Record<ReplyTopic, TopicRule> = {
  'early check-in': {
    guest: new RegExp(
      String.raw`\bearly\b[^.?!]{0,40}\b(${CHECK_IN}|arriv\w*)\b|\b(${CHECK_IN}|arriv\w*)\b[^.?!]{0,40}\bearl(y|ier)\b|\bdrop (off )?(our |the |my )?(bags|luggage)\b`,
      'i',
    ),
    template: new RegExp(String.raw`\bearly\b[^.?!]{0,20}\b${CHECK_IN}\b|\bearly arrival\b`, 'i'),
    hides: 'check-in',
  },
  'check-in': {
    guest: new RegExp(
      String.raw`\b${CHECK_IN}\b|\bdoor ?code\b|\b(key|lock) ?(box|code|pad|safe)\b|\bget in(side)?\b`,
      'i',
    ),
    template: new RegExp(String.raw`\b${CHECK_IN}\b|\barrival instructions\b`, 'i'),
  },
  'late checkout': {
    guest: new RegExp(
      String.raw`\blate\b[^.?!]{0,30}\b${CHECK_OUT}\b|\b${CHECK_OUT}\b[^.?!]{0,30}\blater?\b|\bleave (a bit |a little )?later\b`,
      'i',
    ),
    template: new RegExp(String.raw`\blate\b[^.?!]{0,20}\b${CHECK_OUT}\b`, 'i'),
    hides: 'checkout',
  },
  checkout: {
    guest: new RegExp(String.raw`\b${CHECK_OUT}\b|\bleav(e|ing)\b[^.?!]{0,30}\bkeys?\b`, 'i'),
    template: new RegExp(String.raw`\b${CHECK_OUT}\b`, 'i'),
  },
  wifi: {
    guest: /\bwi-?fi\b|\binternet\b|\bwireless\b|\bwlan\b/i,
    template: /\bwi-?fi\b|\binternet\b/i,
  },
  parking: {
    guest:
      /\bparking\b|\bgarage\b|\bpark\s+(the |our |my |a )?(car|vehicle)\b|\b(can|do|should|to)\s+(we|i)\s+park\b/i,
    template: /\bparking\b|\bgarage\b/i,
  },
  pets: {
    guest: /\b(pets?|dogs?|cats?|puppy|kitten)\b/i,
    template: /\b(pets?|dogs?)\b/i,
  },
  'extend stay': {
    guest: /\bextend\b|\bextension\b|\b(extra|another|additional|one more) nights?\b|\bstay longer\b/i,
    template: /\bextend\w*\b|\bextension\b|\bextra nights?\b/i,
  },
  directions: {
    guest:
      /\baddress\b|\bdirections?\b|\bhow (do|can|should) (we|i) get (there|to)\b|\bwhere is the (house|apartment|building|property|entrance)\b/i,
    template: /\bdirections?\b|\baddress\b|\bhow to get\b/i,
  },
  cancellation: {
    guest: /\bcancel\w*\b|\brefund\w*\b/i,
    template: /\bcancel\w*\b|\brefund\w*\b/i,
  },
  maintenance: {
    guest:
      /\bnot working\b|\bbroken\b|\b(does|is)n'?t work\w*\b|\bleak\w*\b|\bhot water\b|\bno water\b|\bheating\b|\bair ?con\w*\b|\bclogged\b/i,
    template: /\bmaintenance\b|\brepairs?\b|\bbroken\b|\btroubleshoot\w*\b/i,
  },
};

function topicsBy(text: string, side: 'guest' | 'template'): ReplyTopic[] {
  const found = REPLY_TOPICS.filter((t) => RULES[t][side].test(text));
  const hidden = new Set(found.map((t) => RULES[t].hides));
  return found.filter((t) => !hidden.has(t));
}

/** The topics of a guest's message, in the order of REPLY_TOPICS. */
export function guestTopics(text: string): ReplyTopic[] {
  return topicsBy(text, 'guest');
}

/** The topics a template answers, from its name and description. */
export function templateTopics(name: string, description: string | null | undefined): ReplyTopic[] {
  return topicsBy(`${name}\n${description ?? ''}`, 'template');
}

export interface TemplateInfo {
  id: number;
  name: string;
  description?: string | null;
  /** A template for one listing or channel only, when set. */
  listingMapId?: number | null;
  channelId?: number | null;
}

export interface FittingTemplate {
  templateId: number;
  name: string;
  topic: ReplyTopic;
}

/**
 * The templates that answer the topics, for a stay on this listing and channel: a template tied to
 * another listing or channel is left out. In topic order, each template once (under its first topic).
 */
export function fittingTemplates(
  topics: readonly ReplyTopic[],
  templates: readonly TemplateInfo[],
  stay: { listingId: number | null; channelId: number | null },
): FittingTemplate[] {
  const out: FittingTemplate[] = [];
  const seen = new Set<number>();
  const usable = templates.filter(
    (t) =>
      (t.listingMapId == null || t.listingMapId === stay.listingId) &&
      (t.channelId == null || t.channelId === stay.channelId),
  );
  const answers = new Map(usable.map((t) => [t.id, templateTopics(t.name, t.description)]));
  for (const topic of topics)
    for (const t of usable)
      if (!seen.has(t.id) && answers.get(t.id)?.includes(topic)) {
        seen.add(t.id);
        out.push({ templateId: t.id, name: t.name, topic });
      }
  return out;
}
